// The JSON Schema of a server as `/servers` gives it, for the OpenAPI document: the triage reasons are a
// contract that scripts may sort or alert on, so their shape is written down.

import type { Schema } from '../route.js';

const TRIAGE_CODES = [
  'webshell-on-disk',
  'credential-dump',
  'attacker-active',
  'verdict',
  'data-exposure',
  'exposure-open',
  'remediation-open',
  'scan-age',
];

const triageReasonSchema: Schema = {
  type: 'object',
  required: ['code', 'weight', 'text', 'detail'],
  properties: {
    code: { type: 'string', enum: TRIAGE_CODES },
    weight: { type: 'integer', description: 'what this reason adds to the score' },
    text: { type: 'string', description: 'the reason in a few words, as the dashboard shows it' },
    detail: {
      type: 'string',
      description: 'the facts behind it (paths, times, CVEs); may hold attacker-controlled text',
    },
  },
};

const nullable = (type: string) => ({ type: [type, 'null'] });

export const serverSchema: Schema = {
  type: 'object',
  required: ['id', 'organisation', 'name', 'verdict', 'lastScanAt', 'triage'],
  properties: {
    id: { type: 'integer' },
    organisation: {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
    },
    name: { type: 'string' },
    createdAt: { type: 'string' },
    latestScanId: nullable('integer'),
    verdict: nullable('string'),
    lastScanAt: nullable('string'),
    build: nullable('string'),
    exposure: {
      type: ['object', 'null'],
      properties: {
        build: nullable('string'),
        vulnerable: { type: 'array', items: { type: 'string' } },
        unknown: { type: 'array', items: { type: 'string' } },
      },
    },
    triage: {
      type: 'object',
      required: ['score', 'reasons', 'lastActivity'],
      properties: {
        score: { type: 'integer', description: 'the sum of the reasons’ weights' },
        reasons: { type: 'array', items: triageReasonSchema, description: 'heaviest first' },
        lastActivity: { ...nullable('string'), description: 'the newest attacker activity: the tie-break' },
      },
    },
  },
};

export const serverPageSchema: Schema = {
  type: 'object',
  required: ['items', 'next'],
  properties: {
    items: { type: 'array', items: serverSchema },
    next: nullable('string'),
    order: {
      type: 'string',
      description: 'with `order=triage`: the order in words, as the dashboard explains it',
    },
  },
};
