import { Schema } from 'mongoose';
import { defineModel } from '../core/models.js';

/**
 * Sign-in attempt counters (per IP and email, per IP, per account email, per trusted device), shared by
 * every app instance through MongoDB. The TTL index removes a window once it has expired.
 */
const loginThrottleSchema = new Schema({
  _id: { type: String },
  count: { type: Number, default: 0 },
  expiresAt: { type: Date, required: true },
});
loginThrottleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const LoginThrottle = defineModel('LoginThrottle', loginThrottleSchema);
