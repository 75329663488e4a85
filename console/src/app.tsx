export function App() {
  return <main><h1>personsd</h1></main>;
}
