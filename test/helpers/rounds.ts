/** Training rounds for tests: the details of "round 2", with what a test needs changed. */
import type { RoundDetails } from '../../src/rounds/rounds.service.js';

export function roundDetails(changes: Partial<RoundDetails> = {}): RoundDetails {
  return {
    name: 'Advocacy training, round 2',
    startDate: '2026-04-24',
    endDate: '2026-04-27',
    venue: '',
    province: '',
    partners: [],
    ...changes,
  };
}
