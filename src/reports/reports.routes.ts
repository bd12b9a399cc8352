import { Router } from 'express';
import { requireRole } from '../core/guards.js';
import * as reports from './reports.controller.js';

/**
 * Reports for coordinators and admins, each page with a CSV twin. The `.csv` routes come first: a
 * course id followed by ".csv" must not be read as an id.
 */
export function reportRoutes(): Router {
  const router = Router();
  router.use('/coord/reports', requireRole('coordinator', 'admin'));
  router.get('/coord/reports', reports.index);
  router.get('/coord/reports/course/:id.csv', reports.courseCsv);
  router.get('/coord/reports/course/:id', reports.course);
  router.get('/coord/reports/knowledge-gain.csv', reports.knowledgeGainCsv);
  router.get('/coord/reports/knowledge-gain', reports.knowledgeGain);
  router.get('/coord/reports/round/:id.csv', reports.roundCsv);
  router.get('/coord/reports/round/:id', reports.round);
  router.get('/coord/reports/provinces.csv', reports.provincesCsv);
  router.get('/coord/reports/provinces', reports.provinces);
  router.get('/coord/reports/trainers.csv', reports.trainersCsv);
  router.get('/coord/reports/trainers', reports.trainers);
  router.get('/coord/reports/member/:id.csv', reports.memberCsv);
  router.get('/coord/reports/member/:id', reports.member);
  return router;
}
