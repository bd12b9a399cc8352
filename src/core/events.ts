import { EventEmitter } from 'node:events';

/**
 * Things that happened, for features that act on them without the feature that caused them knowing
 * (a completed course → a certificate). Listeners run after the change is stored; a listener's failure
 * is logged by whoever registered it and never undoes the change.
 */
export interface AppEvents {
  'course.completed': [{ userId: string; courseId: string; at: Date }];
}

export const appEvents = new EventEmitter<AppEvents>();
