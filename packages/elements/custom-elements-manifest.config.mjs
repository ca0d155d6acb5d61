// Custom Elements Manifest (https://github.com/webcomponents/custom-elements-manifest) for the
// <usage-*> elements, generated from their JSDoc and Lit decorators by `pnpm cem`
// (@custom-elements-manifest/analyzer, `litelement: true` reads @property/@state incl. attribute
// names and types). Storybook reads it for the docs pages and controls (.storybook/preview.ts);
// the package ships it ("customElements" in package.json). scripts/cem.test.ts checks it.
import path from 'node:path';

/**
 * Our elements register through `define(tag, Class)` (internal/usage-element.ts, which tolerates a
 * second copy of the SDK), not `customElements.define`, and in a separate file from the class
 * (`x.ts` imports `x.component.ts`). This plugin records those calls as custom-element
 * definitions and links each tag to the class the imported module exports by default.
 */
function usageDefinePlugin() {
  /** [module path of the define call, tag, local class name, module path the class is imported from] */
  const calls = [];
  return {
    name: 'usage-define-calls',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, cls] = node.arguments;
      if (!tag || !cls || !ts.isStringLiteral(tag) || !ts.isIdentifier(cls)) return;
      let from;
      for (const statement of node.getSourceFile().statements) {
        if (!ts.isImportDeclaration(statement) || statement.importClause?.name?.text !== cls.text) continue;
        const spec = statement.moduleSpecifier.text;
        from = path.posix.join(path.posix.dirname(moduleDoc.path), spec).replace(/\.js$/, '.ts');
      }
      if (!from) throw new Error(`${moduleDoc.path}: define('${tag.text}', ${cls.text}) — ${cls.text} is not a default import`);
      calls.push([moduleDoc.path, tag.text, cls.text, from]);
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      for (const [definedIn, tag, local, from] of calls) {
        const mod = modules.find((m) => m.path === from);
        const name = mod?.exports?.find((e) => e.name === 'default')?.declaration?.name;
        const klass = mod?.declarations?.find((d) => d.kind === 'class' && d.name === name);
        if (!klass) throw new Error(`define('${tag}', ${local}) in ${definedIn}: no default-exported class in ${from}`);
        klass.tagName = tag;
        klass.customElement = true;
        const at = modules.find((m) => m.path === definedIn);
        at.exports = [...(at.exports ?? []), { kind: 'custom-element-definition', name: tag, declaration: { name: klass.name, module: from } }];
      }
    },
  };
}

/**
 * Docs hygiene: only the elements and their base classes stay (controllers and helpers are
 * internal); private and protected members are not API, so they leave the manifest (Storybook
 * would list them); an override without its own JSDoc (`@property() override heading = 'Top
 * Users'`) takes the description of the member or attribute it overrides, as TypeScript's
 * tooltips do; modules without declarations or definitions (styles, data helpers) are dropped.
 */
function usageDocsPlugin() {
  return {
    name: 'usage-docs',
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      const classes = new Map(modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.kind === 'class').map((d) => [d.name, d])));
      const ancestors = (klass) => {
        const chain = [];
        for (let c = classes.get(klass.superclass?.name); c && !chain.includes(c); c = classes.get(c.superclass?.name)) chain.push(c);
        return chain;
      };
      const elements = [...classes.values()].filter((c) => c.customElement);
      const kept = new Set(elements.flatMap((c) => [c, ...ancestors(c)]));
      for (const klass of kept) {
        // Our JSDoc opens with `@summary`; the analyzer files that text as the summary only.
        if (!klass.description && klass.summary) klass.description = klass.summary;
        const chain = ancestors(klass);
        for (const key of ['members', 'attributes']) {
          for (const entry of klass[key] ?? []) {
            if (entry.description) continue;
            const from = chain.flatMap((c) => c[key] ?? []).find((e) => e.name === entry.name && e.description);
            if (from) entry.description = from.description;
          }
        }
        for (const attribute of klass.attributes ?? []) {
          attribute.description ||= klass.members?.find((m) => m.name === attribute.fieldName)?.description;
        }
        if (klass.members) klass.members = klass.members.filter((m) => !m.privacy || m.privacy === 'public');
        if (klass.members && klass.members.length === 0) delete klass.members;
      }
      for (const m of modules) m.declarations = (m.declarations ?? []).filter((d) => kept.has(d));
      customElementsManifest.modules = modules.filter(
        (m) => m.declarations.length > 0 || (m.exports ?? []).some((e) => e.kind === 'custom-element-definition'),
      );
      for (const m of customElementsManifest.modules) {
        const names = new Set(m.declarations.map((d) => d.name));
        m.exports = (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition' || names.has(e.declaration?.name));
      }
    },
  };
}

export default {
  globs: ['src/components/**/*.ts', 'src/internal/*.ts'],
  exclude: ['**/*.test.ts', '**/*.d.ts', '**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [usageDefinePlugin(), usageDocsPlugin()],
};
