/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * iconsOneByOne (Vitest only) rewrites `import { A, B } from '@ant-design/icons'` into one
 * import per icon. The build tree-shakes the barrel; Node under Vitest would load all of
 * its ~800 icon modules for every test file instead.
 */
function iconsOneByOne(): Plugin {
  const barrel = /import\s*\{([^}]*)\}\s*from\s*'@ant-design\/icons';/g;
  return {
    name: 'custos-test-icons-one-by-one',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/node_modules/') || !code.includes("'@ant-design/icons'")) return null;
      const out = code.replace(barrel, (_, names: string) =>
        names
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => {
            const [icon, local = icon] = n.split(/\s+as\s+/);
            return `import ${local} from '@ant-design/icons/lib/icons/${icon}';`;
          })
          .join(' '),
      );
      return { code: out, map: null };
    },
  };
}

// The SPA is embedded into the Go binary and served from '/', with history fallback.
export default defineConfig({
  base: '/',
  plugins: [react(), ...(process.env.VITEST ? [iconsOneByOne()] : [])],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 20000,
    css: false,
    // Vitest's default leaves one core idle (cores - 1); test files are independent.
    maxWorkers: 2,
    alias: [{ find: /^antd\/es\/(.*)$/, replacement: 'antd/lib/$1' }],
  },
});
