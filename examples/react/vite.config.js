import react from '@vitejs/plugin-react';

// Nothing special for the elements: their packages ship built ESM (decorators compiled away).
export default { plugins: [react()] };
