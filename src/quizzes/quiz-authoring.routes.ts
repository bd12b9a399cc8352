import { Router } from 'express';
import { editableCourse } from '../courses/course-access.service.js';
import { requireRole } from '../core/guards.js';
import * as authoring from './quiz-authoring.controller.js';
import * as editor from './question-editor.controller.js';
import * as receipts from './receipts.controller.js';

/** A course's question bank and quiz settings, for those who may edit the course. */
export function quizAuthoringRoutes(): Router {
  const router = Router();
  const editable = editableCourse();
  const course = '/teach/courses/:id';
  router.get(`${course}/questions`, ...editable, authoring.showBank);
  router.post(`${course}/questions/import`, ...editable, authoring.postImport);
  router.get(`${course}/questions/export`, ...editable, authoring.getExport);
  router.get(`${course}/questions/new`, ...editable, editor.showNewQuestion);
  router.post(`${course}/questions/new`, ...editable, editor.postNewQuestion);
  router.get(`${course}/questions/:questionId`, ...editable, editor.showQuestion);
  router.post(`${course}/questions/:questionId`, ...editable, editor.postQuestion);
  router.post(`${course}/questions/:questionId/delete`, ...editable, authoring.postDeleteQuestion);
  router.post(`${course}/quizzes`, ...editable, authoring.postCreateQuiz);
  router.get(`${course}/quizzes/:quizId`, ...editable, authoring.showQuizSettings);
  router.post(`${course}/quizzes/:quizId`, ...editable, authoring.postQuizSettings);
  router.post(`${course}/quizzes/:quizId/delete`, ...editable, authoring.postDeleteQuiz);
  router.get('/teach/receipts', requireRole('coordinator', 'admin'), receipts.showReceipt);
  return router;
}
