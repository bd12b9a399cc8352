import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';

/**
 * A training round (a cohort): "advocacy training, round 2, 24–27 April, 14 members, at a partner's hall".
 * Days are calendar dates (YYYY-MM-DD) in the organisation's time zone, not instants: a round held on the
 * 24th is on the 24th wherever the server runs. Members, trainers and courses are sets of ids changed by
 * $addToSet/$pull, so two coordinators adding people at once lose nobody. Attendance is one list of
 * present members per day, set as a whole by the grid for that day.
 */
const roundSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    startDate: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    endDate: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    venue: { type: String, trim: true, maxlength: 200, default: '' },
    province: { type: String, trim: true, maxlength: 100, default: '' },
    partners: { type: [{ type: String, maxlength: 200 }], default: [] },
    trainerIds: { type: [Schema.Types.ObjectId], default: [] },
    memberIds: { type: [Schema.Types.ObjectId], default: [] },
    courseIds: { type: [Schema.Types.ObjectId], default: [] },
    /** Day (YYYY-MM-DD) → ids of the members present that day. */
    attendance: { type: Schema.Types.Mixed, default: () => ({}) },
    createdBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, minimize: false },
);
roundSchema.index({ startDate: -1 });
roundSchema.index({ memberIds: 1 });
roundSchema.index({ trainerIds: 1 });
roundSchema.index({ courseIds: 1 });

export interface RoundDoc {
  _id: Types.ObjectId;
  name: string;
  startDate: string;
  endDate: string;
  venue: string;
  province: string;
  partners: string[];
  trainerIds: Types.ObjectId[];
  memberIds: Types.ObjectId[];
  courseIds: Types.ObjectId[];
  attendance: Record<string, Types.ObjectId[]>;
  createdBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

export const Round = defineModel('Round', roundSchema);
