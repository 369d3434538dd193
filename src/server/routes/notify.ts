// Notification channels per organisation: analysts of a tenant (or administrators naming it) add webhook,
// SMTP and syslog channels, choose the events, send a test and see each channel's deliveries. Audited.

import type { ChannelConfig } from '../../store/notifications.js';
import {
  createChannel,
  deleteChannel,
  setChannelEvents,
  listChannels,
  NOTIFY_EVENTS,
  queueNotification,
} from '../../store/notifications.js';
import { actorOf, scopeOf } from '../../store/index.js';
import {
  getOverdue,
  OVERDUE_DAYS,
  OVERDUE_MAX,
  OVERDUE_MIN,
  OVERDUE_PHASES,
  setOverdue,
} from '../../store/org-settings.js';
import { HttpError, readScope, writeScope } from '../auth.js';
import type { RouteDef, Schema } from '../route.js';
import { idParams, orgParam, query, route } from '../route.js';

const host = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:_\\[\\]-]+$' } as const;
const port = { type: 'integer', minimum: 1, maximum: 65535 } as const;
const address = {
  type: 'string',
  minLength: 3,
  maxLength: 320,
  pattern: '^[^\\s<>,;]+@[^\\s<>,;]+$',
} as const;

const configs: Record<string, Schema> = {
  webhook: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'secret'],
    properties: {
      url: { type: 'string', maxLength: 2000, pattern: '^https?://' },
      secret: { type: 'string', minLength: 16, maxLength: 200 },
    },
  },
  smtp: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'port', 'from', 'to'],
    properties: {
      host,
      port,
      secure: { type: 'boolean' },
      user: { type: 'string', maxLength: 200 },
      password: { type: 'string', maxLength: 200 },
      from: address,
      to: { type: 'array', minItems: 1, maxItems: 20, items: address },
    },
  },
  syslog: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'port', 'transport', 'format'],
    properties: {
      host,
      port,
      transport: { enum: ['udp', 'tcp'] },
      format: { enum: ['json', 'cef'] },
    },
  },
};

export const notifyRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/notifications/overdue',
    summary:
      "The organisation's remediation deadlines: days a step of each phase may stay open before it is overdue",
    tag: 'notifications',
    role: 'analyst',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ days, custom, defaults, min, max }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      if (scope.all) throw new HttpError(400, 'administrators must name the organisation (org)');
      const s = await getOverdue(ctx.store.db, scope.orgId);
      return { ...s, defaults: OVERDUE_DAYS, min: OVERDUE_MIN, max: OVERDUE_MAX };
    },
  }),
  route({
    method: 'PATCH',
    url: '/notifications/overdue',
    summary:
      "Set the organisation's remediation deadlines (days per phase; a phase left out follows the default). Audited",
    tag: 'notifications',
    role: 'analyst',
    query: query({ org: orgParam }),
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['days'],
      properties: {
        days: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(
            OVERDUE_PHASES.map((p) => [p, { type: 'integer', minimum: OVERDUE_MIN, maximum: OVERDUE_MAX }]),
          ),
        },
      },
    },
    response: { status: 200, description: '`{ days, custom }` as stored' },
    async handler(call) {
      const scope = await writeScope(call.ctx.store, call.principal, call.query.org);
      // The phases are the schema's properties, built from a list: their type is the list's, not literal.
      const days = call.body.days as Record<string, number>;
      return setOverdue(call.ctx.store, scope, days, actorOf(call.principal));
    },
  }),
  route({
    method: 'GET',
    url: '/notifications/channels',
    summary: 'Notification channels (secrets left out) with their pending and failed deliveries',
    tag: 'notifications',
    role: 'analyst',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ items, events }`: the channels and the events one can take' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      return { items: await listChannels(ctx.store, scope), events: [...NOTIFY_EVENTS] };
    },
  }),
  route({
    method: 'POST',
    url: '/notifications/channels',
    summary:
      'Add a channel: a webhook (JSON, signed with HMAC-SHA256), e-mail through an SMTP server, or syslog (RFC 5424, JSON or CEF)',
    tag: 'notifications',
    role: 'analyst',
    query: query({ org: orgParam }),
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'name', 'config', 'events'],
      properties: {
        kind: { enum: ['webhook', 'smtp', 'syslog'] },
        name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' },
        config: { type: 'object' },
        events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...NOTIFY_EVENTS] } },
      },
      allOf: Object.entries(configs).map(([kind, schema]) => ({
        if: { properties: { kind: { const: kind } } },
        then: { properties: { config: schema } },
      })),
    },
    response: { status: 201, description: '`{ id }`' },
    async handler(call) {
      const scope = await writeScope(call.ctx.store, call.principal, call.query.org);
      const b = call.body;
      // The config's shape depends on the kind (the schema's allOf), which the body's type cannot say.
      const { config } = call.req.body as { config: ChannelConfig };
      const id = await createChannel(call.ctx.store, scope, { ...b, config, actor: actorOf(call.principal) });
      call.reply.code(201);
      return { id };
    },
  }),
  route({
    method: 'PATCH',
    url: '/notifications/channels/:id',
    summary: 'Choose which events a channel takes (audited, with the events before and after)',
    tag: 'notifications',
    role: 'analyst',
    params: idParams,
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['events'],
      properties: {
        events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...NOTIFY_EVENTS] } },
      },
    },
    response: { status: 204, description: 'changed' },
    async handler(call) {
      const { events } = call.body;
      const ok = await setChannelEvents(call.ctx.store, scopeOf(call.principal), call.params.id, events, actorOf(call.principal)); // prettier-ignore
      if (!ok) throw new HttpError(404, 'no such channel');
      call.reply.code(204);
      return null;
    },
  }),
  route({
    method: 'DELETE',
    url: '/notifications/channels/:id',
    summary: 'Remove a channel and its undelivered notifications',
    tag: 'notifications',
    role: 'analyst',
    params: idParams,
    response: { status: 204, description: 'removed' },
    async handler(call) {
      const ok = await deleteChannel(call.ctx.store, scopeOf(call.principal), call.params.id, actorOf(call.principal)); // prettier-ignore
      if (!ok) throw new HttpError(404, 'no such channel');
      call.reply.code(204);
      return null;
    },
  }),
  route({
    method: 'POST',
    url: '/notifications/channels/:id/test',
    summary: 'Queue a test notification on one channel; its delivery shows on the channel',
    tag: 'notifications',
    role: 'analyst',
    params: idParams,
    response: { status: 202, description: '`{ queued }`' },
    async handler(call) {
      const id = call.params.id;
      const mine = (await listChannels(call.ctx.store, scopeOf(call.principal))).find((c) => c.id === id);
      if (!mine) throw new HttpError(404, 'no such channel');
      const queued = await queueNotification(call.ctx.store.db, mine.organisationId, 'test', {
        message: `A test from ${actorOf(call.principal)}: this channel works.`,
      }, id); // prettier-ignore
      call.reply.code(202);
      return { queued };
    },
  }),
];
