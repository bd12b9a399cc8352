import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError } from '../core/app-error.js';
import { isMalformedMultipart } from '../core/upload.js';
import {
  confirmImport,
  findImport,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  previewImport,
  type ImportProblem,
  type ImportSummary,
} from './people-import.service.js';

/**
 * /admin/users/import: upload a CSV → a preview (every problem, or what will be created) → confirm.
 * The file is read in memory (it is at most 5 MB and never kept as a file): only the checked rows are
 * kept, in the database, until the confirmation.
 */

const receive = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
}).single('file');

/** The uploaded file, or the 4xx and message for a refused upload (too large, malformed form). */
function receiveFile(req: Request, res: Response): Promise<Express.Multer.File | AppError | undefined> {
  return new Promise((resolve, reject) => {
    receive(req, res, (err?: unknown) => {
      if (err instanceof multer.MulterError)
        resolve(
          err.code === 'LIMIT_FILE_SIZE'
            ? new AppError(413, 'users.import.errors.tooLarge')
            : new AppError(400, 'errors.badRequest'),
        );
      else if (isMalformedMultipart(err)) resolve(new AppError(400, 'errors.badRequest'));
      else if (err) reject(err instanceof Error ? err : new Error('upload failed', { cause: err }));
      else resolve(req.file);
    });
  });
}

interface ImportPage {
  problems?: ImportProblem[];
  warnings?: ImportProblem[];
  summary?: ImportSummary;
  /** A checked import waiting for its confirmation. */
  pendingId?: string;
  fileName?: string;
  formError?: string;
  /** The problems were found at confirmation: the database changed since the preview. */
  changed?: boolean;
}

function renderImport(req: Request, res: Response, page: ImportPage, status = 200): void {
  res.status(status).render('people/import', {
    title: req.t('users.import.title'),
    maxRows: IMPORT_MAX_ROWS,
    maxMb: IMPORT_MAX_BYTES / 2 ** 20,
    problems: [],
    warnings: [],
    errors: {},
    ...page,
  });
}

export const showImport: RequestHandler = (req, res) => renderImport(req, res, {});

export const postImport: RequestHandler = async (req, res) => {
  const file = await receiveFile(req, res);
  if (file instanceof AppError) return renderImport(req, res, { formError: file.message }, file.status);
  if (!file) return renderImport(req, res, { formError: 'users.import.errors.noFile' }, 400);
  const preview = await previewImport(file.buffer, file.originalname, req.user!);
  if (preview.id) return res.redirect(303, `/admin/users/import/${preview.id}`);
  renderImport(req, res, { ...preview, fileName: file.originalname }, 422);
};

const importId = (req: Request) => (typeof req.params.id === 'string' ? req.params.id : '');

/** A checked import: its summary and the confirm button, or once confirmed, what it made. */
export const showPending: RequestHandler = async (req, res) => {
  const doc = await findImport(importId(req), req.user!);
  if (doc.status !== 'pending')
    return res.render('people/import-done', {
      title: req.t('users.import.doneTitle'),
      summary: doc.summary,
      fileName: doc.fileName,
      finished: doc.status === 'done',
      id: doc._id,
    });
  renderImport(req, res, {
    pendingId: doc._id,
    summary: doc.summary,
    warnings: doc.warnings as ImportProblem[],
    fileName: doc.fileName,
  });
};

export const postConfirm: RequestHandler = async (req, res) => {
  const outcome = await confirmImport(importId(req), req.user!);
  if (outcome.ok) return res.redirect(303, `/admin/users/import/${importId(req)}`);
  renderImport(req, res, { problems: outcome.problems, changed: true }, 422);
};
