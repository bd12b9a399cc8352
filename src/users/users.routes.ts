import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import * as users from './users.controller.js';

export function usersRoutes(delivery: users.LinkDelivery): Router {
  const router = Router();
  const staff = requireRole('admin', 'coordinator');
  router.get('/admin/users', staff, users.list);
  router.get('/admin/users/new', staff, users.showNew);
  router.post('/admin/users', staff, users.create(delivery));
  router.post('/admin/users/:id/reset-link', staff, users.resetLink(delivery));
  router.post('/admin/users/:id/roles', requireRole('admin'), users.changeRoles);
  return router;
}
