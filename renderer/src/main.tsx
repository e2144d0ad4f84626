import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { startProjectFeed } from './transport/project-feed.js';
import { startSessionRefresh } from './transport/session-refresh.js';
import './styles/base.css';
import './styles/tables.css';
import './styles/views.css';
import './styles/dashboard.css';

startProjectFeed(window.location);
startSessionRefresh();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
