import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../core/app-error.js';
import { requireAuth, requireRole } from '../core/guards.js';
import { uploadOne } from '../core/upload.js';
import type { PrintDeps } from './certificate-print.js';
import * as certificates from './certificates.controller.js';
import * as credentials from './credentials.controller.js';
import * as template from './template.controller.js';
import * as verify from './verify.controller.js';

export interface CertificateRouteOptions extends PrintDeps {
  /** Verification requests per minute per address (public page). */
  verifyPerMinute?: number;
}

/** Members' certificates, coordinators' certificate desk, the admin's template, public verification. */
export function certificateRoutes(options: CertificateRouteOptions): Router {
  const router = Router();
  const staff = requireRole('coordinator', 'admin');
  router.get('/me/certificates', requireAuth, certificates.showMine);
  router.post('/me/certificates/names', requireAuth, certificates.postNames);
  router.get('/certificates/:code.pdf', requireAuth, certificates.downloadPdf(options));
  router.get('/certificates/:code.json', requireAuth, credentials.downloadCredential(options));
  router.get('/issuer', credentials.showIssuer(options));
  router.get('/issuer/key', credentials.showIssuerKey(options));
  router.get('/credentials/status/:list', credentials.showStatusList(options));
  router.get('/certificates', staff, certificates.showManage);
  router.post('/certificates', staff, certificates.postIssue);
  router.get('/certificates/print', staff, certificates.printCourse(options));
  router.post('/certificates/:code/revoke', staff, certificates.postRevoke);
  router.post('/certificates/:code/reissue', staff, certificates.postReissue);
  router.get('/admin/certificate-template', requireRole('admin'), template.showTemplate);
  router.post('/admin/certificate-template', requireRole('admin'), template.postTemplate);
  router.post(
    '/admin/certificate-template/signatures/:slot',
    requireRole('admin'),
    template.knownSlot,
    uploadOne(options.files, template.SIGNATURE_RULE),
    template.postSignature(options.files),
  );
  router.post(
    '/admin/certificate-template/signatures/:slot/remove',
    requireRole('admin'),
    template.deleteSignature(options.files),
  );
  router.get(
    '/admin/certificate-template/preview.pdf',
    requireRole('admin'),
    template.previewTemplate(options),
  );
  // Public: guessing codes through it must be slow.
  const limit = rateLimit({
    windowMs: 60_000,
    limit: options.verifyPerMinute ?? 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(429, 'errors.tooMany')),
  });
  router.get('/verify/offline.html', credentials.showOfflineVerifier(options));
  router.get('/verify', limit, verify.showVerifyForm);
  router.get('/verify/:code', limit, verify.showVerification);
  router.use(verify.undecodableCode);
  return router;
}
