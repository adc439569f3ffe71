// The table compiled from data/SearchEngines.yml at build time by vite-plugin.ts.
declare module 'virtual:calico-search-engines' {
  const table: import('./compile').CompiledSearchEngines;
  export default table;
}
