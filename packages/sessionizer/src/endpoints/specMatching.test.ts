import { join } from 'node:path';
import { Counters } from '@sidetap/core';
import { endpointConfigSchema } from './endpointConfig';
import { createEndpointTemplater } from './endpointTemplater';

const templater = (spec: string, options: Record<string, unknown> = {}) =>
  createEndpointTemplater(endpointConfigSchema.parse({ specFile: join(__dirname, 'testdata', spec), ...options }), { counters: new Counters() });

describe('endpoint templates from an OpenAPI spec', () => {
  const petstore = templater('petstore-3.0.yaml');

  it('matches under the server prefix and returns the full path with the spec parameter names', () => {
    expect(petstore.match('GET', '/v2/pets/42')).toEqual({ template: '/v2/pets/{petId}', source: 'spec', inSpec: true, methodDeclared: true, operationId: 'showPetById' });
    expect(petstore.match('GET', '/v2/pets')).toMatchObject({ template: '/v2/pets', operationId: 'listPets' });
    expect(petstore.match('GET', '/v2')).toMatchObject({ template: '/v2', operationId: 'root' });
    expect(petstore.match('GET', '/v2/')).toMatchObject({ template: '/v2', operationId: 'root' });
    // Without the prefix the request is outside what the spec serves.
    expect(petstore.match('GET', '/pets/42')).toEqual({ template: '/pets/{id}', source: 'learned', inSpec: false });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(petstore.match('GET', '/v2/pets/mine')).toMatchObject({ template: '/v2/pets/mine', operationId: 'listMyPets' });
    expect(petstore.match('GET', '/v2/pets/mine2')).toMatchObject({ template: '/v2/pets/{petId}' });
  });

  it('flags an undeclared method and still gives the path', () => {
    expect(petstore.match('PUT', '/v2/pets/42')).toEqual({ template: '/v2/pets/{petId}', source: 'spec', inSpec: true, methodDeclared: false });
    // Methods are case-sensitive on the wire.
    expect(petstore.match('get', '/v2/pets/42')).toMatchObject({ methodDeclared: false });
    // The best path declaring the method wins over a more literal path that does not.
    expect(petstore.match('DELETE', '/v2/pets/mine')).toMatchObject({ template: '/v2/pets/{petId}', methodDeclared: true, operationId: 'deletePet' });
    expect(petstore.match('POST', '/v2/pets/mine')).toMatchObject({ template: '/v2/pets/mine', methodDeclared: false });
  });

  it("matches $ref'd path items, local and in other files", () => {
    expect(petstore.match('GET', '/v2/pets/7/photos/abc')).toMatchObject({ template: '/v2/pets/{petId}/photos/{photoId}', operationId: 'getPetPhoto' });
    expect(petstore.match('GET', '/v2/stores/3/pets/7')).toMatchObject({ template: '/v2/stores/{storeId}/pets/{petId}', operationId: 'getStorePet' });
  });

  it('matches parameters inside a segment', () => {
    expect(petstore.match('GET', '/v2/files/report.pdf')).toMatchObject({ template: '/v2/files/{name}.{ext}', operationId: 'getFile' });
    expect(petstore.match('GET', '/v2/files/README')).toMatchObject({ source: 'learned', inSpec: false });
  });

  it('ignores the query, repeated and trailing slashes', () => {
    expect(petstore.match('GET', '//v2//pets/42/?verbose=1')).toMatchObject({ template: '/v2/pets/{petId}', inSpec: true });
  });

  it('reads 3.1 JSON with server variables and path-level servers', () => {
    const accounts = templater('accounts-3.1.json');
    expect(accounts.match('PATCH', '/api/v1/accounts/9')).toMatchObject({ template: '/api/v1/accounts/{accountId}', operationId: 'updateAccount' });
    expect(accounts.match('GET', '/api/v2/accounts/9')).toMatchObject({ template: '/api/v2/accounts/{accountId}', operationId: 'getAccount' });
    expect(accounts.match('GET', '/api/v1/accounts/9/statements/2024-05-01')).toMatchObject({ template: '/api/v1/accounts/{accountId}/statements/{day}' });
    expect(accounts.match('GET', '/health')).toMatchObject({ template: '/health', inSpec: true });
    expect(accounts.match('GET', '/api/v1/health')).toMatchObject({ source: 'learned', inSpec: false });
  });

  it('falls back to learned templates for what the spec does not describe, and learns from them', () => {
    const t = templater('petstore-3.0.yaml', { learnThreshold: 3 });
    expect(t.match('GET', '/v2/admin/users/17')).toEqual({ template: '/v2/admin/users/{id}', source: 'learned', inSpec: false });
    for (const name of ['a', 'b', 'c', 'd']) t.match('GET', `/v2/shadow/${name}`);
    expect(t.match('GET', '/v2/shadow/e')).toEqual({ template: '/v2/shadow/{param}', source: 'learned', inSpec: false });
  });

  it('gives the same answers from its cache as without one', () => {
    const paths = ['/v2/pets/1', '/v2/pets/mine', '/v2/pets/1', '/v3/x', '/v2/pets/mine', '/v3/x'];
    const cached = templater('petstore-3.0.yaml');
    const uncached = templater('petstore-3.0.yaml', { cacheSize: 0 });
    for (const method of ['GET', 'DELETE', 'PUT']) {
      for (const p of paths) expect(cached.match(method, p)).toEqual(uncached.match(method, p));
    }
  });

  it('refuses a bad spec at start-up', () => {
    expect(() => templater('bad-ref.yaml')).toThrow(/bad-ref\.yaml: \$ref "#\/components\/schemas\/X" at paths\.\/pets\.get does not resolve\./);
  });
});
