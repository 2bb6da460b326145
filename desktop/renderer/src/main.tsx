import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApiContext } from './api/use-console.js';
import { pickTransport } from './api/pick-transport.js';
import { startBatteryReports } from './api/screen-battery.js';
import { startScreenTimeSync } from './api/screen-time.js';
import { App } from './App.js';
import './styles.css';

const transport = pickTransport();
// One time base: the game clock is shown in server time, on every screen.
startScreenTimeSync(transport.api);
// Device health from the operator's screen (the spectator window may not run commands).
if (!location.hash.startsWith('#/scoreboard')) startBatteryReports(transport.api);
const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <ConsoleApiContext.Provider value={transport.api}>
      <App transport={transport} />
    </ConsoleApiContext.Provider>
  </StrictMode>,
);
