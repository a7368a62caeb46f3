// Every key serverless.yml `custom.smokeTest` takes, once, with the JSON schema of its value. The
// schema the framework validates with (plugin/schema.ts), the contract reader
// (core/contract-config.ts), the settings reader (template/service-contract.ts) and the
// monitoring reader (template/monitoring-config.ts) are all built from these tables.

import { OPTIONS } from './options.ts';

const { min, max } = OPTIONS.timeout.range;
const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const map = { type: 'object' } as const;

/** The top-level keys of `custom.smokeTest`, each with the JSON schema of its value. */
export const SMOKE_TEST_KEY_TABLE = {
  function: text,
  path: text,
  url: text,
  response: map,
  logLine: map,
  correlationHeader: text,
  timeout: { type: 'number', minimum: min, maximum: max },
  verifyAfterDeploy: flag,
  rollbackOnFailure: flag,
  recordsKey: {
    type: 'object',
    properties: { arn: text, publicKeySha256: text },
    required: ['arn', 'publicKeySha256'],
  },
  monitoring: { anyOf: [map, flag] },
  enforceLogLevel: flag,
  guardsOwnBucket: flag,
  guardExemptRoles: { type: 'array', items: text, maxItems: 10 },
  traffic: {
    anyOf: [
      flag,
      {
        type: 'object',
        // The shapes' numbers are checked by the plugin (traffic/traffic-shift.ts), in one line.
        properties: { candidateUrl: text, canary: map, linear: map, alarms: { type: 'array' } },
        additionalProperties: false,
      },
    ],
  },
} as const;

/** The keys `custom.smokeTest` takes (''), and those of its sections. */
export const SMOKE_TEST_KEYS = {
  '': Object.keys(SMOKE_TEST_KEY_TABLE) as (keyof typeof SMOKE_TEST_KEY_TABLE)[],
  response: ['status', 'contentType', 'json', 'required', 'echoCorrelationId', 'correlationKey'],
  logLine: ['json', 'required', 'correlationKey', 'format'],
} as const;

/** The keys `custom.smokeTest.monitoring` takes, and those of its sections. */
export const MONITORING_KEYS = {
  monitoring: [
    'schedule',
    'heartbeat',
    'directHeartbeat',
    'windowSeconds',
    'namespace',
    'dimensions',
    'routeLine',
    'failureLine',
    'alarmEmail',
    'alarmTopicArn',
    'dashboard',
    'deployRoleName',
    'queryFields',
  ],
  routeLine: ['key', 'values', 'header'],
  header: ['name', 'value'],
  dimension: ['key', 'value'],
} as const;
