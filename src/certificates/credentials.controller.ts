import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../core/app-error.js';
import { linkOrigin } from '../core/link-origin.js';
import { hasRole } from '../core/roles.js';
import { sharedCache } from '../core/shared-cache.js';
import { getSettings } from '../settings/settings.service.js';
import { certificateIdentities } from '../users/users.service.js';
import { controllerDocument, issuerAddresses } from './credential-addresses.js';
import { verifierScript } from './offline-verifier.js';
import { publicKeyDocument } from './credential-issuer.js';
import { signedCredential, signedStatusList, STATUS_LIST_LENGTH } from './credential.js';
import { findCertificate, STATUS_CHANGED, withdrawnStatusIndexes } from './certificates.service.js';

/** Signed credentials beside the PDFs, and what verifiers need: the issuer's key and the status lists. */

export interface CredentialDeps {
  baseUrl: string | undefined;
}

const baseOf = (deps: CredentialDeps, req: Request) => linkOrigin(req, deps.baseUrl);

const sendJson = (res: Response, body: unknown, cache: string) => {
  res.setHeader('Cache-Control', cache);
  res.type('application/ld+json; charset=utf-8').send(JSON.stringify(body, null, 2));
};

/** The issuer's profile and controller document, at a stable address. */
export function showIssuer(deps: CredentialDeps): RequestHandler {
  return async (req, res) => {
    const base = baseOf(deps, req);
    const [key, settings] = await Promise.all([publicKeyDocument(base), getSettings()]);
    sendJson(
      res,
      { ...controllerDocument(base, key), name: settings?.organisationName ?? '' },
      'public, max-age=3600',
    );
  };
}

export function showIssuerKey(deps: CredentialDeps): RequestHandler {
  return async (req, res) =>
    sendJson(res, await publicKeyDocument(baseOf(deps, req)), 'public, max-age=3600');
}

/**
 * A revocation list: revoked and replaced certificates have their bit set. Signed once and kept until a
 * certificate is revoked or replaced (on any instance, within a second), so asking for it often costs
 * nothing; a list beyond those in use does not exist.
 */
const signedLists = sharedCache<Record<string, unknown> | null>(STATUS_CHANGED);

export function showStatusList(deps: CredentialDeps): RequestHandler {
  return async (req, res) => {
    if (!/^\d{1,6}$/.test(String(req.params.list))) throw AppError.notFound();
    const list = Number(req.params.list);
    const base = baseOf(deps, req);
    const signed = await signedLists.get(`${base}|${list}`, async () => {
      const withdrawn = await withdrawnStatusIndexes(list, STATUS_LIST_LENGTH);
      return withdrawn ? signedStatusList(base, list, withdrawn) : null;
    });
    if (!signed) throw AppError.notFound();
    sendJson(res, signed, 'public, max-age=60');
  };
}

/**
 * A certificate as a signed credential: its holder gets it with their name, staff without; nobody else.
 * Like the PDF, only while the certificate stands.
 */
export function downloadCredential(deps: CredentialDeps): RequestHandler {
  return async (req, res) => {
    const c = await findCertificate(req.params.code);
    const own = c && String(c.userId) === req.user!.id;
    if (!c || (!own && !hasRole(req.user, 'coordinator', 'admin'))) throw AppError.notFound();
    if (c.status !== 'valid') throw new AppError(410, 'certificates.errors.notValid');
    const holder = (await certificateIdentities([String(c.userId)])).get(String(c.userId));
    if (!holder) throw AppError.notFound();
    const credential = await signedCredential({
      base: baseOf(deps, req),
      code: c.code,
      issuedAt: c.issuedAt,
      organisation: c.snapshot.organisation,
      courseTitle: c.snapshot.courseTitle,
      courseLocale: req.locale,
      hours: c.snapshot.hours,
      completedAt: c.snapshot.completedAt,
      email: holder.email,
      holderName: own ? [c.snapshot.nameLatin, c.snapshot.nameLocal].filter(Boolean).join(' / ') : null,
      statusIndex: c.statusIndex,
    });
    res.setHeader('Content-Disposition', `attachment; filename="certificate-${c.code}.json"`);
    sendJson(res, credential, 'no-store');
  };
}

/**
 * The offline verifier page: self-contained (its one script inlined and allowed by its hash), with this
 * issuer's public key in it, so that saved to disk it checks credentials with no connection.
 */
export function showOfflineVerifier(deps: CredentialDeps): RequestHandler {
  return async (req, res) => {
    const base = baseOf(deps, req);
    const [key, settings, script] = await Promise.all([
      publicKeyDocument(base),
      getSettings(),
      verifierScript(),
    ]);
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src ${script.cspSource}; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    res.render('certificates/offline-verifier', {
      layout: false,
      key,
      script: script.code,
      organisation: settings?.organisationName ?? '',
      statusUrl: issuerAddresses(base).statusList(0),
    });
  };
}
