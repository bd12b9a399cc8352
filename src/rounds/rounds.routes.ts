import { Router } from 'express';
import type { i18n } from 'i18next';
import { requireAuth, requireRole } from '../core/guards.js';
import { attendancePdf, postAttendance, showAttendance } from './attendance.controller.js';
import { loadPretest, postEntry, pretestPdf, showEntry, showPretest } from './paper-test.controller.js';
import * as rounds from './rounds.controller.js';

/**
 * Training rounds: coordinators manage them (details, people, courses); a round's own trainers also see it,
 * take its attendance and handle its paper pre-test.
 */
export function roundsRoutes(deps: { i18n: i18n }): Router {
  const router = Router();
  const staff = requireRole('coordinator', 'admin');
  const round = [staff, rounds.loadRound];
  // What a round's own trainers may do too: see it, take attendance, print and type in the paper pre-test.
  const inRoom = [requireAuth, rounds.loadRound, rounds.staffOrRoundTrainer];
  router.get('/coord/rounds', staff, rounds.list);
  router.get('/coord/rounds/new', staff, rounds.showNew);
  router.post('/coord/rounds', staff, rounds.create);
  router.get('/coord/rounds/:id', inRoom, rounds.show);
  router.get('/coord/rounds/:id/edit', round, rounds.showEdit);
  router.post('/coord/rounds/:id/edit', round, rounds.update);
  router.post('/coord/rounds/:id/members', round, rounds.postMembers);
  router.post('/coord/rounds/:id/members/:userId/remove', round, rounds.postRemoveMember);
  router.post('/coord/rounds/:id/trainers', round, rounds.postTrainer);
  router.post('/coord/rounds/:id/trainers/:userId/remove', round, rounds.postRemoveTrainer);
  router.post('/coord/rounds/:id/courses', round, rounds.postLinkCourse);
  router.post('/coord/rounds/:id/courses/:courseId/unlink', round, rounds.postUnlinkCourse);
  router.get('/coord/rounds/:id/attendance', inRoom, showAttendance);
  router.post('/coord/rounds/:id/attendance', inRoom, postAttendance);
  router.get('/coord/rounds/:id/attendance.pdf', inRoom, attendancePdf);
  const pretest = [...inRoom, loadPretest];
  router.get('/coord/rounds/:id/pretest/:courseId', pretest, showPretest);
  router.get('/coord/rounds/:id/pretest/:courseId/paper.pdf', pretest, pretestPdf(deps.i18n));
  router.get('/coord/rounds/:id/pretest/:courseId/:userId', pretest, showEntry);
  router.post('/coord/rounds/:id/pretest/:courseId/:userId', pretest, postEntry);
  return router;
}
