import { Router } from 'express';
import { requireAuth, requireRole } from '../core/guards.js';
import { loadOwned } from '../core/ownership.js';
import { findUserSummary } from '../users/users.service.js';
import * as people from './people.controller.js';
import * as edit from './people-edit.controller.js';
import { exportPeople } from './people-export.controller.js';
import * as importing from './people-import.controller.js';

/** Staff pages for the people of the organisation; which person each may act on is checked per request. */
export function peopleRoutes(delivery: people.LinkDelivery): Router {
  const router = Router();
  const staff = requireRole('admin', 'coordinator');
  router.get('/admin/users', staff, people.list);
  router.get('/admin/users/export.csv', staff, exportPeople);
  router.get('/admin/users/new', staff, people.showNew);
  router.post('/admin/users', staff, people.create(delivery));
  router.get('/admin/users/import', staff, importing.showImport);
  router.post('/admin/users/import', staff, importing.postImport);
  router.get('/admin/users/import/:id', staff, importing.showPending);
  router.post('/admin/users/import/:id', staff, importing.postConfirm);
  router.get('/admin/users/:id/edit', staff, edit.loadEditable, edit.showEdit);
  router.post('/admin/users/:id/edit', staff, edit.loadEditable, edit.saveEdit);
  // A person's page: staff, and the person themselves (who see their account's history but no staff actions).
  router.get(
    '/people/:id',
    requireAuth,
    loadOwned({
      local: 'person',
      find: findUserSummary,
      owners: (p) => [p.id],
      bypass: ['admin', 'coordinator'],
    }),
    people.show,
  );
  router.post('/admin/users/:id/reset-link', staff, people.resetLink(delivery));
  router.post('/admin/users/:id/sessions/end', staff, people.endPersonSessions);
  router.post('/admin/users/:id/status', staff, people.changeStatus);
  router.post('/admin/users/:id/roles', requireRole('admin'), people.changeRoles(delivery));
  return router;
}
