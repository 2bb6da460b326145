import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApiContext } from './api/use-console.js';
import { pickTransport } from './api/pick-transport.js';
import { App } from './App.js';
import './styles.css';

const transport = pickTransport();
const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <ConsoleApiContext.Provider value={transport.api}>
      <App transport={transport} />
    </ConsoleApiContext.Provider>
  </StrictMode>,
);
