import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The console is served by the gateway from build/web/ (see src/http/static_files.hpp): hashed files under
// /assets/ are cached forever, index.html is revalidated. No inline scripts or styles (strict CSP).
const api = process.env.NETOPS_API ?? 'http://127.0.0.1:3000';
const proxy = { '/api': api, '/v1': api, '/docs': api };

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: false },
    cssCodeSplit: true,
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  // `npm run dev` / `vite preview`: the API of a gateway at NETOPS_API (default http://127.0.0.1:3000).
  server: { proxy },
  preview: { proxy },
});
