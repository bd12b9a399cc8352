import { Schema } from 'mongoose';
import { defineModel } from '../core/models.js';

/**
 * A one-time password link. Only the SHA-256 of its token is stored, so a database dump cannot be used to
 * take over accounts. One live link per person (unique userId): a new link replaces the old one.
 */
const passwordLinkSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, unique: true },
  tokenHash: { type: String, required: true, unique: true },
  /** Who issued it; the link works only while they may still manage the person's roles. */
  createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  /** The person's credential version at issue: any later change of password, roles or status voids it. */
  credentialVersion: { type: Number, required: true },
  expiresAt: { type: Date, required: true },
});
passwordLinkSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const PasswordLink = defineModel('PasswordLink', passwordLinkSchema);
