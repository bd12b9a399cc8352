import zlib from 'node:zlib';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type session from 'express-session';
import type { Connection } from 'mongoose';
import { DEFAULT_UPLOAD_LIMITS, type Config, type UploadLimits } from './config/config.js';
import { errorHandler, notFoundHandler } from './core/error-handler.js';
import { createI18n, localeMiddleware, type LocaleResources } from './core/i18n.js';
import { layoutMiddleware } from './core/layout.js';
import type { Logger } from './core/logger.js';
import { requestLog } from './core/request-log.js';
import type { FileStore } from './core/file-store.js';
import { disabledMailer, type Mailer } from './core/mailer.js';
import { viewsDir } from './core/paths.js';
import type { AssetBundle } from './core/assets.js';
import { csrfProtection, derivedSecret, plainCookies, securityHeaders } from './core/security.js';
import { DEFAULT_SESSION_POLICY, sessionMiddleware, type SessionPolicy } from './core/session.js';
import { healthRoutes } from './core/health.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { deviceCookies } from './auth/device-cookie.js';
import { createPassport } from './auth/passport.js';
import { sessionLifetime } from './core/session-lifetime.js';
import type { LoginPolicy } from './auth/auth.service.js';
import { homeRoutes } from './home/home.routes.js';
import { setupRoutes } from './setup/setup.routes.js';
import { peopleRoutes } from './people/people.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { coursesRoutes } from './courses/courses.routes.js';
import { quizAuthoringRoutes } from './quizzes/quiz-authoring.routes.js';
import { quizRoutes } from './quizzes/quizzes.routes.js';
import { organisationTimeZone } from './settings/settings.service.js';
import { certificateRoutes } from './certificates/certificates.routes.js';
import { roundsRoutes } from './rounds/rounds.routes.js';
import { issueCertificatesOnCompletion } from './certificates/certificates.service.js';
import { reportRoutes } from './reports/reports.routes.js';
import { boundConnection } from './core/models.js';

export interface AppDeps {
  config: Pick<Config, 'isProduction' | 'trustProxy' | 'baseUrl' | 'env'>;
  connection: Connection;
  sessionStore: session.Store;
  sessionSecret: string;
  logger: Logger;
  loginPolicy?: LoginPolicy;
  /** Idle timeout, absolute lifetime and "keep me signed in"; defaults to DEFAULT_SESSION_POLICY. */
  sessionPolicy?: SessionPolicy;
  /** The texts of every language, read beforehand (loadLocaleResources), so that building the app reads no file. */
  locales: LocaleResources;
  /** Stylesheet, font and icons, prepared beforehand (loadAssets). */
  assets: AssetBundle;
  /** The largest course file of each kind; defaults to DEFAULT_UPLOAD_LIMITS. */
  uploadLimits?: UploadLimits;
  /** Where uploaded files are kept (disk or GridFS, chosen in server.ts). */
  fileStore: FileStore;
  /** Absent: no mail is sent and password links are only shown on screen. */
  mailer?: Mailer;
  /** Public certificate verifications per minute per address; defaults to 30. */
  verifyPerMinute?: number;
}

/** Builds the Express app. No I/O here: the caller owns connections, stores and the listening socket. */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  // The models must already live on the connection given: binding them starts index builds, which is I/O.
  if (boundConnection() !== deps.connection)
    throw new Error(
      'createApp: the models are not bound to the connection it is given; open it with openDatabase, or call bindModels(connection) first.',
    );
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(requestLog(deps.logger, (path) => path === '/healthz' || path === '/readyz'));
  // Probes first: they need no cookies, session or page machinery, and a proxy calls them often.
  app.use(healthRoutes(deps.connection));
  app.use(securityHeaders(config.isProduction));

  // Pages are compressed as they are sent (brotli where the browser takes it); assets come precompressed.
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }));
  app.use(deps.assets.handler);

  const sessionPolicy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  app.use(cookieParser(), plainCookies);
  app.use(sessionMiddleware(deps.sessionStore, deps.sessionSecret, sessionPolicy));
  const devices = deviceCookies(derivedSecret(deps.sessionSecret, 'device'));
  const passport = createPassport(devices, deps.loginPolicy);
  app.use(passport.initialize({ compat: false }));
  app.use(passport.session());
  app.use(sessionLifetime(sessionPolicy));

  const i18n = createI18n(deps.locales);
  app.use(localeMiddleware(i18n, organisationTimeZone));
  const csrf = csrfProtection(derivedSecret(deps.sessionSecret, 'csrf'));
  const layout = layoutMiddleware({ viewsDir, cache: config.isProduction });
  // One step for what every page needs: its layout, its locals, its CSRF token (made only if a form asks).
  const pageContext: express.RequestHandler = (req, res, next) => {
    // Every page is for one person (or carries their CSRF token): a shared phone's back button, or a
    // proxy, must not show it to the next person.
    res.setHeader('Cache-Control', 'no-store');
    res.locals.currentUser = req.user;
    res.locals.currentPath = req.originalUrl;
    res.locals.isProduction = config.isProduction;
    res.locals.asset = deps.assets.url;
    csrf.exposeToken(req, res, () => layout(req, res, next));
  };
  app.use(pageContext);

  // Body parsing comes after the page locals, so that a refused body (413, bad JSON) still gets a proper
  // error page. A GET has no body to parse.
  const urlencoded = express.urlencoded({ extended: true, limit: '100kb', parameterLimit: 500 });
  // A lesson holds up to 100,000 characters in each of three languages, and a question file may be long:
  // those two forms may send more (Dari letters take two bytes, and the form encoding triples them).
  const longForm = express.urlencoded({ extended: true, limit: '2mb', parameterLimit: 500 });
  const LONG_FORMS =
    /^\/teach\/courses\/[0-9a-f]{24}\/(lessons\/[0-9a-f]{24}|questions\/(import|new|[0-9a-f]{24}))$/;
  const json = express.json({ limit: '100kb' });
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const form = LONG_FORMS.test(req.path) ? longForm : urlencoded;
    form(req, res, (err?: unknown) => (err ? next(err) : json(req, res, next)));
  });
  app.use(csrf.protect);

  const setup = setupRoutes();
  app.use(setup.gate);
  app.use(homeRoutes());
  app.use(setup.router);
  app.use(authRoutes({ passport, devices, sessionPolicy, loginPolicy: deps.loginPolicy }));
  app.use(peopleRoutes({ baseUrl: config.baseUrl, mailer: deps.mailer ?? disabledMailer, i18n }));
  app.use(settingsRoutes(deps.fileStore));
  app.use(coursesRoutes({ files: deps.fileStore, limits: deps.uploadLimits ?? DEFAULT_UPLOAD_LIMITS }));
  app.use(quizRoutes());
  app.use(quizAuthoringRoutes());
  app.use(roundsRoutes({ i18n }));
  app.use(
    certificateRoutes({
      files: deps.fileStore,
      i18n,
      baseUrl: config.baseUrl,
      verifyPerMinute: deps.verifyPerMinute,
    }),
  );
  app.use(reportRoutes());
  // A completed course issues its certificate (once per process, however many apps a process builds).
  issueCertificatesOnCompletion((err) => deps.logger.error({ err }, 'issuing a certificate failed'));

  app.use(notFoundHandler);
  app.use(errorHandler({ showStack: config.env === 'development', i18n, page: pageContext }));
  return app;
}
