import { detectNosqlInjection } from './nosqlInjectionDetector';

describe('detectNosqlInjection', () => {
  it.each([
    ['password[$regex]', 'nosql:bracket+compare'],
    ['user[$ne]=x', 'nosql:bracket+compare'],
    ['{"password": {"$gt": ""}}', 'nosql:key+compare'],
    ['{"$or": [{}, {"a": 1}]}', 'nosql:key+logic'],
    ['{"$where": "sleep(5000)"}', 'nosql:key+where'],
    ['{$expr: {$gt: ["$a", 0]}}', 'nosql:key+expr'],
    ['[{"$lookup": {"from": "users"}}]', 'nosql:key+stage'],
    ['$where=1', 'nosql:query+where'],
    ["'; return true; var x='", 'nosql:js:return'],
    ["'; return '' == '", 'nosql:js:return'],
    ['0;while(true){}', 'nosql:js:loop'],
    ["' || 'a'=='a", 'nosql:js:tautology'],
    ["' && this.password.match(/^a/)//", 'nosql:js:tautology'],
    ['user%5B%24ne%5D=1', 'nosql:bracket+compare'],
  ])('%s is %s', (value, fingerprint) => {
    expect(detectNosqlInjection(value)?.fingerprint).toBe(fingerprint);
  });

  it('rates a $where delay highest', () => {
    expect(detectNosqlInjection('{"$where": "sleep(5000)"}')?.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    '$5.00',
    '$USD',
    'Use $set to update a field',
    '{"_id": {"$oid": "507f1f77bcf86cd799439011"}}',
    '{"$schema": "https://json-schema.org/draft/2020-12/schema"}',
    '{"$ref": "#/components/schemas/User"}',
    "It's fine; return it tomorrow",
    'this.setState({ loading: true });',
    '${amount}',
    'user[name]=alice',
    'while (true) is an idiom',
    'for the record; we loop for days',
  ])('leaves %s alone', (value) => {
    expect(detectNosqlInjection(value)).toBeUndefined();
  });
});
