// `npm run api:schema`: writes schema/api.schema.json, the JSON Schema of every route's response, from the
// declarations in src/server/api/types.ts (read with the TypeScript compiler). The OpenAPI document
// (src/server/openapi.ts) serves it; src/server/api/schema.test.ts fails when the file is out of date.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TYPES_FILE = path.join(ROOT, 'src/server/api/types.ts');
export const SCHEMA_FILE = path.join(ROOT, 'schema/api.schema.json');

/** The document as text, from the declarations as they are now. */
export function apiSchemaText() {
  const program = ts.createProgram([TYPES_FILE], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(TYPES_FILE);
  const decl = file.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'ApiResponses');
  const components = {};
  const mine = (sym) =>
    sym?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(path.join(ROOT, 'src'))) ?? false;
  const describe = (sym) => ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();

  function named(type) {
    // An interface, or an alias of an object type, declared in src/ and not generic: a component.
    const alias = type.aliasSymbol && !type.aliasTypeArguments?.length ? type.aliasSymbol : undefined;
    const sym =
      alias ?? (type.symbol && type.symbol.flags & ts.SymbolFlags.Interface ? type.symbol : undefined);
    if (!sym || !mine(sym)) return undefined;
    if (!alias && checker.getTypeArguments?.(type)?.length) return undefined;
    if (type.flags & ts.TypeFlags.Union && !alias) return undefined;
    return sym;
  }

  /** `details.${string}` as an anchored pattern: its fixed texts escaped, each hole any text. */
  function templatePattern(type) {
    const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    let out = '^' + esc(type.texts[0]);
    type.types.forEach((t, i) => {
      out += t.flags & ts.TypeFlags.Number ? '-?[0-9.]+' : '.*';
      out += esc(type.texts[i + 1]);
    });
    return out + '$';
  }

  function schemaOf(type) {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & ts.TypeFlags.StringLiteral) return { const: type.value };
    if (f & ts.TypeFlags.NumberLiteral) return { const: type.value };
    if (f & ts.TypeFlags.BooleanLiteral) return { const: checker.typeToString(type) === 'true' };
    // A template literal type (`details.${string}`) is a string with a shape, not an object: without this
    // its apparent type, String, was listed member by member, with ids that changed from build to build.
    if (f & ts.TypeFlags.TemplateLiteral) return { type: 'string', pattern: templatePattern(type) };
    if (f & ts.TypeFlags.StringMapping) return { type: 'string' };
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
      if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
      if (parts.every((t) => t.flags & ts.TypeFlags.StringLiteral))
        return { type: 'string', enum: parts.map((t) => t.value) };
      const schemas = parts.map(schemaOf);
      return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
    }
    const sym = named(type);
    if (sym) {
      const name = sym.getName();
      if (!(name in components)) {
        components[name] = {};
        components[name] = {
          ...objectSchema(type),
          ...(describe(sym) ? { description: describe(sym) } : {}),
        };
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return objectSchema(type);
  }

  function objectSchema(type) {
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type);
      return { type: 'array', items: args.length === 1 ? schemaOf(args[0]) : {} };
    }
    const properties = {};
    const required = [];
    for (const p of checker.getPropertiesOfType(type)) {
      const at = p.valueDeclaration ?? p.declarations?.[0];
      const t = at ? checker.getTypeOfSymbolAtLocation(p, at) : checker.getTypeOfSymbol(p);
      const s = schemaOf(t);
      const d = describe(p);
      properties[p.getName()] = d && !s.$ref ? { ...s, description: d } : s;
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    return {
      type: 'object',
      ...(Object.keys(properties).length ? { properties } : {}),
      ...(required.length ? { required } : {}),
      ...(index ? { additionalProperties: schemaOf(index.type) } : {}),
    };
  }

  const responses = {};
  for (const p of checker.getPropertiesOfType(checker.getTypeAtLocation(decl))) {
    const t = checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration);
    responses[p.getName()] = schemaOf(t);
  }
  const sorted = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((k) => [k, components[k]]),
  );
  const doc = {
    $comment: 'Generated from src/server/api/types.ts by `npm run api:schema`; do not edit.',
    responses,
    components: sorted,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, apiSchemaText());
  process.stderr.write(`wrote ${path.relative(ROOT, SCHEMA_FILE)}\n`);
}
