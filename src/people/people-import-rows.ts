import { z } from 'zod';
import type { CsvTable } from '../core/csv-import.js';
import { displayNameField, emailField, optionalText, requiredText } from '../core/form-fields.js';
import { isRole, type Role } from '../core/roles.js';
import { USER_STATUSES, type UserStatus } from '../users/users.service.js';

/**
 * The rules an import row must meet by itself, before the database is asked anything: columns named as
 * Moodle's user upload names them (plus the name in local script), each cell a valid value, no formula.
 */

/** One problem, shown with its row (as the spreadsheet numbers it) and column; null row: the whole file. */
export interface ImportProblem {
  row: number | null;
  column: string;
  key: string;
  params?: Record<string, string | number>;
}

/** A row as read, by column; kept between the preview and the confirmation and checked again then. */
export interface ImportRow {
  row: number;
  email: string;
  firstname: string;
  lastname: string;
  localname: string;
  organisation: string;
  province: string;
  roles: string;
  status: string;
  round: string;
  /** The course columns' cells, by column name (course1, course2, …). */
  courses: CourseCell[];
  /** Non-empty cells beyond the header's columns: most often an unquoted comma that shifted the row. */
  extraCells?: boolean;
}

export interface CourseCell {
  column: string;
  slug: string;
}

/** A row that passed its own checks. */
export interface CheckedRow {
  row: number;
  email: string;
  displayName: string;
  localName: string;
  organisation: string;
  province: string;
  roles: Role[];
  status: UserStatus;
  round: string;
  /** Non-empty course cells, each slug once. */
  courses: CourseCell[];
}

/** A people CSV's columns before its course columns, in the order the export writes them. */
export const TEXT_COLUMNS = [
  'email',
  'firstname',
  'lastname',
  'localname',
  'organisation',
  'province',
  'roles',
  'status',
  'round',
] as const;
type TextColumn = (typeof TEXT_COLUMNS)[number];
const REQUIRED: TextColumn[] = ['email', 'firstname'];
/** Other spellings met in the wild: Moodle calls the organisation "institution". */
const ALIASES: Record<string, TextColumn> = { organization: 'organisation', institution: 'organisation' };
const COURSE_COLUMN = /^course(\d{1,3})$/;
export const MAX_COURSE_COLUMNS = 50;

/**
 * Maps the header to known columns (any case). A required column missing or a column given twice is a
 * file problem; a column we do not know is a warning (its cells are ignored).
 */
export function mapColumns(table: CsvTable): {
  rows: ImportRow[];
  fileProblems: ImportProblem[];
  warnings: ImportProblem[];
} {
  const fileProblems: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const at = new Map<TextColumn, number>();
  const courseAt: { index: number; n: number; name: string }[] = [];
  const seen = new Set<string>();
  table.header.forEach((raw, index) => {
    const name = raw.toLowerCase().replace(/\s+/g, '');
    if (name === '') return;
    if (seen.has(name)) fileProblems.push({ row: 1, column: raw, key: 'users.import.errors.columnTwice' });
    seen.add(name);
    const course = COURSE_COLUMN.exec(name);
    if (course) courseAt.push({ index, n: Number(course[1]), name: `course${Number(course[1])}` });
    else if ((TEXT_COLUMNS as readonly string[]).includes(name) || ALIASES[name])
      at.set(ALIASES[name] ?? (name as TextColumn), index);
    else warnings.push({ row: 1, column: raw, key: 'users.import.warnings.unknownColumn' });
  });
  for (const column of REQUIRED)
    if (!at.has(column)) fileProblems.push({ row: 1, column, key: 'users.import.errors.missingColumn' });
  // Nobody follows fifty courses at once; a header naming hundreds is a file gone wrong.
  if (courseAt.length > MAX_COURSE_COLUMNS)
    fileProblems.push({ row: 1, column: 'course1..', key: 'users.import.errors.tooManyCourseColumns' });
  courseAt.sort((a, b) => a.n - b.n);
  const width = table.header.length;
  const rows = table.records.map((record) => {
    const cell = (i: number | undefined) => (i === undefined ? '' : (record.cells[i] ?? ''));
    const row = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, cell(at.get(c))])) as Record<
      TextColumn,
      string
    >;
    const extra = record.cells.slice(width).some((c) => c.trim() !== '');
    return {
      row: record.row,
      ...row,
      // Only the cells that name a course: empty ones would make a pending import of thousands of rows
      // heavier than a stored document may be.
      courses: courseAt.flatMap((c) =>
        cell(c.index).trim() ? [{ column: c.name, slug: cell(c.index) }] : [],
      ),
      ...(extra ? { extraCells: true } : {}),
    };
  });
  return { rows, fileProblems, warnings };
}

// Our own export puts an apostrophe before a cell a spreadsheet would read as a formula; it comes off
// again here, so export → import gives back exactly what was exported.
const NEUTRALISED = /^'(?=[=+\-@\t\r])/;
const FORMULA_START = /^[=+\-@]/;

const rowSchema = z.object({
  email: emailField,
  firstname: requiredText(120),
  lastname: optionalText(120),
  localname: optionalText(120),
  organisation: optionalText(200),
  province: optionalText(100),
  round: optionalText(1000),
});

/** Checks one row by itself; `allowed` are the roles the importing person may hand out. */
export function checkRow(
  raw: ImportRow,
  allowed: readonly Role[],
): { checked?: CheckedRow; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const problem = (column: string, key: string, params?: Record<string, string | number>) =>
    problems.push({ row: raw.row, column, key, ...(params ? { params } : {}) });
  if (raw.extraCells) problem('', 'users.import.errors.extraCells');
  const values: Record<string, string> = {};
  for (const column of TEXT_COLUMNS) {
    // A bare formula start is refused: whatever wrote it may have meant a formula. One our export (or a
    // careful spreadsheet user) neutralised with an apostrophe is plain text: the apostrophe comes off.
    if (FORMULA_START.test(raw[column].trimStart())) problem(column, 'users.import.errors.formula');
    values[column] = raw[column].replace(NEUTRALISED, '');
  }
  const parsed = rowSchema.safeParse(values);
  if (!parsed.success) {
    const byColumn = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0]);
      if (!byColumn.has(column)) byColumn.set(column, issue.message);
    }
    for (const [column, key] of byColumn)
      if (!problems.some((p) => p.column === column)) problem(column, key);
  }
  const roles = parseRoles(values.roles ?? '', allowed, (key, params) => problem('roles', key, params));
  const status = (values.status ?? '').trim().toLowerCase() || 'active';
  if (!(USER_STATUSES as readonly string[]).includes(status))
    problem('status', 'users.import.errors.unknownStatus', { value: status });
  const courses: CourseCell[] = [];
  for (const c of raw.courses) {
    const slug = c.slug.trim().toLowerCase();
    if (slug && !courses.some((other) => other.slug === slug)) courses.push({ column: c.column, slug });
  }
  if (problems.length || !parsed.success) return { problems };
  const d = parsed.data;
  const displayName = displayNameField.safeParse(`${d.firstname} ${d.lastname}`.trim());
  if (!displayName.success) {
    problem('lastname', 'users.import.errors.nameTooLong');
    return { problems };
  }
  return {
    problems,
    checked: {
      row: raw.row,
      email: d.email,
      displayName: displayName.data,
      localName: d.localname,
      organisation: d.organisation,
      province: d.province,
      roles,
      status: status as UserStatus,
      round: d.round,
      courses,
    },
  };
}

/** Roles separated by spaces or commas, any case; none given is "member". */
function parseRoles(
  cell: string,
  allowed: readonly Role[],
  fail: (key: string, params: Record<string, string>) => void,
): Role[] {
  const names = cell
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter(Boolean);
  const roles: Role[] = [];
  for (const name of names) {
    if (!isRole(name)) fail('users.import.errors.unknownRole', { value: name.slice(0, 40) });
    else if (!allowed.includes(name)) fail('users.import.errors.roleNotAllowed', { value: name });
    else if (!roles.includes(name)) roles.push(name);
  }
  return roles.length ? roles.sort() : ['member'];
}

/** Rows whose email another row also has: each of them is told the other rows' numbers. */
export function duplicateEmails(rows: CheckedRow[]): ImportProblem[] {
  const byEmail = new Map<string, number[]>();
  for (const r of rows) byEmail.set(r.email, [...(byEmail.get(r.email) ?? []), r.row]);
  const problems: ImportProblem[] = [];
  for (const numbers of byEmail.values()) {
    if (numbers.length < 2) continue;
    for (const row of numbers)
      problems.push({
        row,
        column: 'email',
        key: 'users.import.errors.duplicateInFile',
        params: { rows: numbers.filter((n) => n !== row).join(', ') },
      });
  }
  return problems;
}
