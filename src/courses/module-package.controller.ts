import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { UploadLimits } from '../config/config.js';
import { AppError } from '../core/app-error.js';
import { contentDisposition } from '../core/file-download.js';
import type { FileStore } from '../core/file-store.js';
import { isMalformedMultipart } from '../core/upload.js';
import { renderEdit } from './authoring.controller.js';
import type { CourseDoc } from './course.model.js';
import { exportModule, importModulePackage, packageTotalBytes } from './module-package.service.js';

/** Trainers' module packages: upload one to add a module, download a module as one. */

interface Deps {
  files: FileStore;
  limits: UploadLimits;
}

const course = (res: Response) => res.locals.course as CourseDoc;

/**
 * The package goes to a temporary file, never into the FileStore: only what it holds is kept, once checked.
 * The zip may be as large as everything it may hold, plus room for its own headers.
 */
function receive(
  limits: UploadLimits,
): (req: Request, res: Response) => Promise<Express.Multer.File | undefined> {
  const accept = multer({
    storage: multer.diskStorage({
      destination: tmpdir(),
      filename: (_req, _file, cb) => cb(null, `sabaq-module-${randomBytes(12).toString('hex')}.zip`),
    }),
    limits: { fileSize: packageTotalBytes(limits) + 2 ** 20, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
  }).single('package');
  return (req, res) =>
    new Promise((resolve, reject) => {
      accept(req, res, (err?: unknown) => {
        if (err instanceof multer.MulterError)
          reject(
            err.code === 'LIMIT_FILE_SIZE'
              ? new AppError(413, 'teach.package.tooLarge')
              : new AppError(400, 'errors.badRequest'),
          );
        else if (isMalformedMultipart(err)) reject(new AppError(400, 'errors.badRequest'));
        else if (err) reject(err instanceof Error ? err : new Error('upload failed', { cause: err }));
        else resolve(req.file);
      });
    });
}

/**
 * A refused package is shown on the course page with its status, naming the entry at fault; the message
 * is translated here because it has parameters.
 */
function showRefusal(req: Request, res: Response, err: AppError): Promise<void> {
  res.status(err.status);
  return renderEdit(req, res, undefined, { text: req.t(err.message, err.details ?? {}) });
}

/** POST /teach/courses/:id/modules/import, multipart field `package`. */
export function postImport(deps: Deps): RequestHandler {
  const upload = receive(deps.limits);
  return async (req, res) => {
    const c = course(res);
    let outcome: string | AppError;
    let file: Express.Multer.File | undefined;
    try {
      file = await upload(req, res);
      if (!file) throw new AppError(422, 'teach.package.chooseFile');
      outcome = await importModulePackage(c, file.path, deps);
    } catch (err) {
      if (!(err instanceof AppError) || !err.message.startsWith('teach.package.')) throw err;
      outcome = err;
    } finally {
      // Before answering, so that no temporary file outlives the request.
      const path = file?.path ?? req.file?.path;
      if (path) await rm(path, { force: true });
    }
    if (outcome instanceof AppError) return showRefusal(req, res, outcome);
    res.redirect(303, `/teach/courses/${String(c._id)}?saved=outline#module-${outcome}`);
  };
}

/** GET /teach/courses/:id/modules/:moduleId/export: the module as a package. */
export function getExport(deps: Deps): RequestHandler {
  return async (req, res) => {
    const moduleId = typeof req.params.moduleId === 'string' ? req.params.moduleId : '';
    const { filename, stream } = exportModule(course(res), moduleId, deps.files);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', contentDisposition('attachment', filename));
    // A half-sent zip is useless: if a file cannot be read the connection is cut, never ended cleanly.
    await pipeline(stream, res).catch((err: unknown) => {
      req.log?.error({ err }, 'module export failed');
      res.destroy();
    });
  };
}
