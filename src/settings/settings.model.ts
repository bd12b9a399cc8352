import { Schema, type InferSchemaType } from 'mongoose';
import { defineModel } from '../core/models.js';

/**
 * One document (_id "organisation"). Its fixed _id is what makes first-run setup race-safe: only one
 * insert can win the unique _id.
 */
export const SETTINGS_ID = 'organisation';

const settingsSchema = new Schema(
  {
    _id: { type: String, default: SETTINGS_ID },
    organisationName: { type: String, required: true, trim: true, maxlength: 200 },
    registrationMode: { type: String, enum: ['open', 'invite'], default: 'invite' },
    /** IANA name; every date and time on pages and in exports is shown in it. */
    timeZone: { type: String, default: 'Asia/Kabul', maxlength: 64 },
    setupCompletedAt: { type: Date, default: null },
    /** The organisation's logo (pages, certificates), kept in the FileStore. */
    logo: {
      type: new Schema({ fileId: String, mime: String, size: Number, sha256: String }, { _id: false }),
      default: null,
    },
  },
  { timestamps: true },
);

export type SettingsFields = InferSchemaType<typeof settingsSchema>;
export const Settings = defineModel('Settings', settingsSchema);
