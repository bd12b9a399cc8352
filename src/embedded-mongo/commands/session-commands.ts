import { sessionArgs, sessionIdKey } from './args.js';
import type { CommandTable } from './command-context.js';

function sessionKeys(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).map(sessionIdKey).filter((key): key is string => key !== undefined);
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
      await ctx.server.sessions.commit(sessionArgs(ctx.cmd));
      return { ok: 1 };
    },
  },
  abortTransaction: {
    adminOnly: true,
    run: (ctx) => {
      ctx.server.sessions.abort(sessionArgs(ctx.cmd));
      return { ok: 1 };
    },
  },
};
