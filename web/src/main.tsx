import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { browserTimeZone, createClient } from './api/client';
import { openArchiveWorker } from './features/archive/session';
import { I18nProvider } from './i18n/I18nProvider';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App
        client={createClient()}
        tz={browserTimeZone()}
        openArchive={openArchiveWorker}
      />
    </I18nProvider>
  </StrictMode>,
);
