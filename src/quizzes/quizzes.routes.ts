import { Router } from 'express';
import { requireAuth } from '../core/guards.js';
import * as take from './take.controller.js';

/** Quizzes as members take them; trainers' pages are in quiz-authoring.routes. */
export function quizRoutes(): Router {
  const router = Router();
  const quiz = '/courses/:slug/quizzes/:quizId';
  router.get(quiz, requireAuth, take.loadQuiz, take.showQuiz);
  router.post(`${quiz}/start`, requireAuth, take.loadQuiz, take.postStart);
  router.get('/attempts/:attemptId', requireAuth, take.showAttempt);
  router.post('/attempts/:attemptId/answers', requireAuth, take.postAnswer);
  router.post('/attempts/:attemptId/submit', requireAuth, take.postSubmit);
  router.get('/attempts/:attemptId/result', requireAuth, take.showResult);
  return router;
}
