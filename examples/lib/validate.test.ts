// Tests for the format checker itself: it must catch the mistakes it exists to catch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exchangeHeader } from './exchange-logs.js';
import { formatOf, validateExchangeCsv, validateW3c } from './validate.js';
import { IIS_FIELDS, w3cHeader } from './w3c.js';

const head = w3cHeader(Date.UTC(2021, 2, 3), IIS_FIELDS);
const good = '2021-03-03 00:00:01 10.0.0.1 GET / - 443 - 10.0.0.2 UA - 200 0 0 5\r\n';

test('W3C: a good file passes, a short line and a bare LF fail', () => {
  assert.deepEqual(validateW3c('x', head + good), []);
  assert.equal(validateW3c('x', head + good.replace(' 5\r\n', '\r\n')).length, 1);
  assert.ok(validateW3c('x', head + good.replace('\r\n', '\n') + good).length > 0);
  assert.ok(validateW3c('x', good).length > 0);
});

test('Exchange CSV: column counts and quoting are checked', () => {
  const f = {
    logType: 'ECP Server Log',
    fields: ['TimeStamp', 'ServerName', 'EventId', 'EventData'],
    plainHeader: false,
  };
  const h = exchangeHeader({
    version: '15.0.0.0',
    logType: f.logType,
    date: 0,
    fields: f.fields,
    plainHeader: false,
  });
  assert.deepEqual(validateExchangeCsv('x', h + '1970-01-01T00:00:00.000Z,A,B,"c,d"\r\n', f), []);
  assert.equal(validateExchangeCsv('x', h + '1970-01-01T00:00:00.000Z,A,B,c,d\r\n', f).length, 1);
  assert.equal(validateExchangeCsv('x', h + '1970-01-01T00:00:00.000Z,A,B,"cd"\r\n', f).length, 1);
});

test('paths map to formats', () => {
  assert.equal(formatOf('inetpub/logs/LogFiles/W3SVC2/u_ex210303.log'), 'w3c');
  assert.equal(formatOf('P/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG'), 'httpproxy');
  assert.equal(formatOf('P/Logging/ECP/Server/ECPServer20210303-1.LOG'), 'ecp-server');
  assert.equal(formatOf('inetpub/wwwroot/web.config'), undefined);
});
