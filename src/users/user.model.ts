import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { SUPPORTED_LOCALES } from '../core/i18n.js';

export const ROLES = ['member', 'trainer', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

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
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
    failedLogins: { type: Number, default: 0 },
    lockUntil: { type: Date, default: null },
    showNameOnVerification: { type: Boolean, default: false },
  },
  { timestamps: true },
);

export type UserFields = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<UserFields>;

export const User = mongoose.model('User', userSchema);
