import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import * as users from './users.controller.js';

export function usersRoutes(baseUrl: string | undefined): Router {
  const router = Router();
  const staff = requireRole('admin', 'coordinator');
  router.get('/admin/users', staff, users.list);
  router.get('/admin/users/new', staff, users.showNew);
  router.post('/admin/users', staff, users.create(baseUrl));
  router.post('/admin/users/:id/reset-link', staff, users.resetLink(baseUrl));
  router.post('/admin/users/:id/roles', requireRole('admin'), users.changeRoles);
  return router;
}
