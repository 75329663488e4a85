import type { FastifyReply } from 'fastify';

/** Pipedrive's error envelope; `extra` carries the outliers some statuses have (401's errorCode). */
export function errorBody(error: string, errorInfo: string, extra: Record<string, unknown> = {}) {
  return { success: false, error, error_info: errorInfo, data: null, additional_data: null, ...extra };
}

/** Sends JSON text that was rendered ahead (persons, organizations), skipping the serializer. */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export function successText(dataJson: string, additionalDataJson?: string): string {
  return additionalDataJson === undefined
    ? `{"success":true,"data":${dataJson}}`
    : `{"success":true,"data":${dataJson},"additional_data":${additionalDataJson}}`;
}

export function listText(items: string[], nextCursor: string | null): string {
  return successText(`[${items.join(',')}]`, `{"next_cursor":${nextCursor === null ? 'null' : JSON.stringify(nextCursor)}}`);
}
