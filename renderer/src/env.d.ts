/** Vite handles CSS imports; this tells TypeScript they exist. */
declare module '*.css';
