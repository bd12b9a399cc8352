import type { RequestHandler } from 'express';
import { courseForReaders, localized } from '../courses/courses.service.js';
import { displayNames } from '../users/users.service.js';
import { findByReceipt, receiptHolds } from './attempts.service.js';
import { findQuiz } from './quizzes.service.js';
import { quizTitle } from './take.controller.js';

/**
 * Staff settle a disputed attempt from the member's receipt code: whose attempt, which quiz, when, the
 * result, and whether the stored answers still give the same receipt (nothing changed since).
 */
export const showReceipt: RequestHandler = async (req, res) => {
  const code = typeof req.query.code === 'string' ? req.query.code.trim().toUpperCase().slice(0, 20) : '';
  const attempt = code ? await findByReceipt(code) : null;
  const course = attempt ? await courseForReaders(String(attempt.courseId)) : null;
  const quiz = attempt && course ? await findQuiz(String(course._id), String(attempt.quizId)) : null;
  const names = attempt ? await displayNames([String(attempt.userId)]) : new Map<string, string>();
  res.status(code && !attempt ? 404 : 200).render('quizzes/receipt', {
    title: req.t('quizzes.receiptLookup'),
    code,
    attempt,
    holds: attempt ? receiptHolds(attempt) : false,
    person: attempt ? (names.get(String(attempt.userId)) ?? '—') : '',
    courseTitle: course ? localized(course.title, req.locale, course.primaryLocale) : '',
    quizName: course && quiz ? quizTitle(req, course, quiz) : '',
  });
};
