import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { themeStyles } from '../packages/elements/src/theme/tokens.js';
// Generated from the elements' JSDoc by `pnpm cem` (run first by `pnpm storybook` / `pnpm build-storybook`):
// the docs pages' attributes, properties, events, slots, CSS parts and properties tables, and the controls' descriptions.
import manifest from '../packages/elements/custom-elements.json';

interface Manifest {
  modules: { declarations?: { slots?: { name: string }[] }[] }[];
}

// Storybook keys its table rows by name and drops the default slot (name ""): show it as "(default)".
// The shipped manifest keeps "" (the schema's name of the default slot).
setCustomElementsManifest({
  ...manifest,
  modules: (manifest as unknown as Manifest).modules.map((m) => ({
    ...m,
    declarations: m.declarations?.map((d) => (d.slots ? { ...d, slots: d.slots.map((s) => (s.name === '' ? { ...s, name: '(default)' } : s)) } : d)),
  })),
});

// Document-level tokens (light on :root, dark under .usage-theme-dark).
const style = document.createElement('style');
style.id = 'usage-theme';
style.textContent = `${themeStyles.cssText}
body { background: var(--usage-color-background); color: var(--usage-color-text); }`;
document.head.append(style);

const preview: Preview = {
  // A docs page for every stories file (each names its element in `component`).
  tags: ['autodocs'],
  globalTypes: {
    theme: {
      description: 'Usage analytics theme',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  decorators: [
    (story, context) => {
      const theme = context.globals.theme === 'dark' ? 'dark' : 'light';
      const root = document.documentElement;
      root.classList.remove('usage-theme-light', 'usage-theme-dark');
      root.classList.add(`usage-theme-${theme}`);
      return story();
    },
  ],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};

export default preview;
