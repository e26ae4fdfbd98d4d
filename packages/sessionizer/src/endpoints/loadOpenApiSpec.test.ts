import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadOpenApiSpec } from './loadOpenApiSpec';

// Relative names, as a user would pass them on the command line, so messages can be compared whole.
const testdata = (name: string): string => relative(process.cwd(), join(__dirname, 'testdata', name));

describe('loadOpenApiSpec', () => {
  it('reads a 3.0 YAML spec with local, path-item and other-file $refs', () => {
    const spec = loadOpenApiSpec(testdata('petstore-3.0.yaml'));
    expect(spec.openapi).toBe('3.0.3');
    const byPath = new Map(spec.routes.map((r) => [r.path, r]));
    expect(byPath.get('/pets/{petId}')).toEqual({
      path: '/pets/{petId}',
      prefixes: ['/v2'],
      templates: ['/v2/pets/{petId}'],
      operations: [
        { method: 'GET', operationId: 'showPetById', deprecated: false, parameters: [{ name: 'petId', in: 'path', required: true }] },
        { method: 'DELETE', operationId: 'deletePet', deprecated: true, parameters: [{ name: 'petId', in: 'path', required: true }] },
      ],
    });
    // Path item from common.yaml, whose own parameter $ref is relative to common.yaml.
    expect(byPath.get('/pets/{petId}/photos/{photoId}')?.operations).toEqual([
      { method: 'GET', operationId: 'getPetPhoto', deprecated: false, parameters: [{ name: 'photoId', in: 'path', required: true }] },
    ]);
    expect(byPath.get('/stores/{storeId}/pets/{petId}')?.operations[0]?.operationId).toBe('getStorePet');
    expect(byPath.get('/')?.templates).toEqual(['/v2']);
  });

  it('reads a 3.1 JSON spec with components.pathItems, whole-file refs and server variables', () => {
    const spec = loadOpenApiSpec(testdata('accounts-3.1.json'));
    expect(spec.openapi).toBe('3.1.0');
    const byPath = new Map(spec.routes.map((r) => [r.path, r]));
    expect(byPath.get('/accounts/{accountId}')?.templates).toEqual(['/api/v1/accounts/{accountId}', '/api/v2/accounts/{accountId}']);
    expect(byPath.get('/accounts/{accountId}')?.operations.map((o) => o.method)).toEqual(['GET', 'PATCH']);
    expect(byPath.get('/accounts/{accountId}/statements/{day}')?.operations[0]?.operationId).toBe('getStatement');
    expect(byPath.get('/health')?.templates).toEqual(['/health']); // path-level servers override
  });

  it('names the file and the problem in one sentence', () => {
    const cases: Array<[string, string]> = [
      ['bad-ref.yaml', '$ref "#/components/schemas/X" at paths./pets.get does not resolve.'],
      ['not-openapi.yaml', 'not an OpenAPI 3.x document (no "openapi" field).'],
      ['swagger-2.json', 'a Swagger 2.0 document, not OpenAPI 3.x.'],
      ['ref-cycle.yaml', '$ref "#/components/pathItems/A" at paths./loop is part of a $ref cycle that never reaches a value.'],
      ['no-such-spec.yaml', 'cannot be read (ENOENT).'],
    ];
    for (const [name, problem] of cases) expect(() => loadOpenApiSpec(testdata(name))).toThrow(`${testdata(name)}: ${problem}`);
    expect(() => loadOpenApiSpec(testdata('missing-file-ref.yaml'))).toThrow(
      `${testdata('missing-file-ref.yaml')}: $ref "no-such-file.yaml#/PetItem" at paths./pets does not resolve (${testdata('no-such-file.yaml')} cannot be read: ENOENT).`,
    );
    expect(() => loadOpenApiSpec(testdata('broken.yaml'))).toThrow(new RegExp(`^${testdata('broken.yaml')}: not valid YAML \\(.+\\)\\.$`));
  });

  describe('on documents written for the case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidetap-spec-'));
    const write = (name: string, text: string): string => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };

    it('names a bad $ref inside another file by that file', () => {
      write('parts.yaml', 'Item:\n  get:\n    responses: { "200": { $ref: "#/responses/Missing" } }\nresponses: {}\n');
      const file = write('main.yaml', 'openapi: 3.0.0\npaths:\n  /x:\n    $ref: "parts.yaml#/Item"\n');
      expect(() => loadOpenApiSpec(file)).toThrow(`${file}: $ref "#/responses/Missing" in ${join(dir, 'parts.yaml')} at paths./x.get does not resolve.`);
    });

    it('rejects what is not a 3.x document or has no usable paths', () => {
      const cases: Array<[string, string, string]> = [
        ['v2.yaml', 'openapi: "2.0"\npaths: {}\n', 'not an OpenAPI 3.x document ("openapi" is "2.0").'],
        ['nopaths.yaml', 'openapi: 3.0.1\ninfo: {}\n', 'OpenAPI 3.0.1 document has no "paths" object.'],
        ['relative.yaml', 'openapi: 3.0.1\npaths:\n  pets: {}\n', 'path "pets" at paths does not start with "/".'],
        ['empty.yaml', '', 'not an OpenAPI 3.x document (empty).'],
        ['list.yaml', '- 1\n', 'not an OpenAPI 3.x document (not a mapping at the top level).'],
        ['broken.json', '{"openapi": ', 'not valid JSON ('],
        ['novar.yaml', 'openapi: 3.1.0\nservers: [{ url: "/{base}" }]\npaths: {}\n', 'server variable "base" at servers[0] has no default.'],
        ['badparam.yaml', 'openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters: [{ $ref: "#/nope" }]\n', '$ref "#/nope" at paths./a.get does not resolve.'],
        ['pathparam.yaml', 'openapi: 3.1.0\npaths:\n  /a:\n    parameters: [{ $ref: "#/nope" }]\n', '$ref "#/nope" at paths./a.parameters[0] does not resolve.'],
        ['badservers.yaml', 'openapi: 3.1.0\nservers: {}\npaths: {}\n', 'servers is not a list.'],
        ['remote.yaml', 'openapi: 3.1.0\npaths:\n  /a: { $ref: "https://example.com/a.yaml" }\n', 'is not a local file or JSON pointer, which sidetap cannot follow.'],
      ];
      for (const [name, text, problem] of cases) {
        const file = write(name, text);
        expect(() => loadOpenApiSpec(file)).toThrow(problem.endsWith('(') || problem.startsWith('is ') ? problem : `${file}: ${problem}`);
      }
    });

    it('accepts 3.1 documents without paths, recursive schemas, and remote schema refs it cannot check', () => {
      expect(loadOpenApiSpec(write('webhooks.yaml', 'openapi: 3.1.0\nwebhooks: {}\n')).routes).toEqual([]);
      const file = write(
        'recursive.yaml',
        [
          'openapi: 3.1.0',
          'paths:',
          '  /tree:',
          '    get:',
          '      responses:',
          '        "200":',
          '          description: ok',
          '          content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } }',
          '    post:',
          '      requestBody: { content: { application/json: { schema: { $ref: "https://example.com/schemas/node.json" } } } }',
          'components:',
          '  schemas:',
          '    Node: { type: object, properties: { children: { type: array, items: { $ref: "#/components/schemas/Node" } } } }',
        ].join('\n'),
      );
      expect(loadOpenApiSpec(file).routes[0]?.operations.map((o) => o.method)).toEqual(['GET', 'POST']);
    });

    it('decodes JSON pointer escapes in refs', () => {
      const file = write(
        'pointer.yaml',
        'openapi: 3.1.0\npaths:\n  /a/{id}:\n    get: { operationId: getA }\n  /b/{id}:\n    $ref: "#/paths/~1a~1%7Bid%7D"\n',
      );
      expect(loadOpenApiSpec(file).routes.map((r) => r.operations[0]?.operationId)).toEqual(['getA', 'getA']);
    });
  });
});
