import mongoose, { Schema } from 'mongoose';

/** Only the SHA-256 of a reset token is stored, so a database dump cannot be used to take over accounts. */
const resetTokenSchema = new Schema({
  tokenHash: { type: String, required: true, unique: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
});
resetTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const ResetToken = mongoose.model('ResetToken', resetTokenSchema);
