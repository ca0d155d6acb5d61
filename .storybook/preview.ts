import type { Preview } from '@storybook/web-components-vite';
import { themeStyles } from '../packages/elements/src/theme/tokens.js';

// Document-level tokens (light on :root, dark under .usage-theme-dark).
const style = document.createElement('style');
style.id = 'usage-theme';
style.textContent = `${themeStyles.cssText}
body { background: var(--usage-color-background); color: var(--usage-color-text); }`;
document.head.append(style);

const preview: Preview = {
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
