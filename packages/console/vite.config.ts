import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The admin service serves dist/ (index.html, assets/) at `/` under `script-src 'self'`: no
// inline script or style may end up in the build.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  // `vite` in development: the API of an admin service started by hand.
  server: { proxy: { '/api': 'http://127.0.0.1:3001', '/docs': 'http://127.0.0.1:3001' } },
});
