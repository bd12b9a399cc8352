import { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { defineModel } from '../core/models.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { ROLES } from '../core/roles.js';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 254 },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true, trim: true, maxlength: 120 },
    localName: { type: String, trim: true, maxlength: 120, default: '' },
    organisation: { type: String, trim: true, maxlength: 200, default: '' },
    province: { type: String, trim: true, maxlength: 100, default: '' },
    roles: { type: [{ type: String, enum: ROLES }], default: ['member'] },
    locale: { type: String, enum: SUPPORTED_LOCALES, default: 'en' },
    status: { type: String, enum: USER_STATUSES, default: 'active' },
    /**
     * Raised by every change that must end the person's sessions: a new password, new roles, a status
     * change, "sign out everywhere". Sessions carry the value they were made with and end once it differs.
     */
    sessionGeneration: { type: Number, default: 0 },
    /**
     * Raised by a new password, new roles and a status change (not by "sign out everywhere"): password links
     * and trusted-device cookies carry the value they were made with and are void once it differs.
     */
    credentialVersion: { type: Number, default: 0 },
    showNameOnVerification: { type: Boolean, default: false },
  },
  { timestamps: true },
);

export type UserFields = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<UserFields>;

export const User = defineModel('User', userSchema);
