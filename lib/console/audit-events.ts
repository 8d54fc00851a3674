import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { Page } from "@/lib/pagination";
import type { ConsoleContext } from "./operator-sessions";

export interface AuditEvent {
  id: string;
  operatorId: string;
  operatorEmail: string;
  liveMode: boolean;
  action: string;
  targetType: string;
  targetId: string;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Records a console write: who (the operator and their address at the time), what, on
 * which object, in the console's platform and mode. Every console write calls it after
 * its domain call succeeded.
 */
export async function recordAuditEvent(
  ctx: ConsoleContext,
  event: { action: string; targetType: string; targetId: string; detail?: Record<string, unknown> },
): Promise<void> {
  await prisma().auditEvent.create({
    data: {
      id: newId("audit"),
      platformId: ctx.platform.id,
      liveMode: ctx.liveMode,
      operatorId: ctx.operator.id,
      operatorEmail: ctx.operator.email,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      detail: (event.detail ?? {}) as Prisma.InputJsonValue,
    },
  });
}

/** The platform's audit log, newest first (both modes: who did what matters in either). */
export async function listAuditEvents(platformId: string, page: Page): Promise<{ items: AuditEvent[]; total: number }> {
  const where = { platformId };
  const [rows, total] = await Promise.all([
    prisma().auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: page.limit, skip: page.offset }),
    prisma().auditEvent.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      operatorId: r.operatorId,
      operatorEmail: r.operatorEmail,
      liveMode: r.liveMode,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      detail: (r.detail ?? {}) as Record<string, unknown>,
      createdAt: r.createdAt,
    })),
    total,
  };
}
