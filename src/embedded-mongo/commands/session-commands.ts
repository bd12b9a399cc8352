import { Binary, type Document } from 'bson';
import type { CommandTable } from './command-context.js';

function sessionKeys(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const keys: string[] = [];
  for (const item of list as unknown[]) {
    const id: unknown = item && typeof item === 'object' ? (item as Document).id : undefined;
    if (id instanceof Binary) keys.push(id.toString('hex'));
  }
  return keys;
}

export const sessionCommands: CommandTable = {
  endSessions: {
    run: (ctx) => {
      ctx.server.sessions.endSessions(sessionKeys(ctx.cmd.endSessions));
      return { ok: 1 };
    },
  },
  refreshSessions: { run: () => ({ ok: 1 }) },
  killSessions: {
    run: (ctx) => {
      ctx.server.sessions.endSessions(sessionKeys(ctx.cmd.killSessions));
      return { ok: 1 };
    },
  },
  killAllSessions: {
    run: (ctx) => {
      ctx.server.sessions.abortAll();
      ctx.server.cursors.killAll();
      return { ok: 1 };
    },
  },
  commitTransaction: {
    adminOnly: true,
    run: async (ctx) => {
      await ctx.server.sessions.commit(ctx.cmd);
      return { ok: 1 };
    },
  },
  abortTransaction: {
    adminOnly: true,
    run: (ctx) => {
      ctx.server.sessions.abort(ctx.cmd);
      return { ok: 1 };
    },
  },
};
