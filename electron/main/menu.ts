import { app, Menu, type MenuItemConstructorOptions } from 'electron';

/** What an operator needs and nothing more; developer tools only in a development build. */
export function setupMenu(): void {
  const view: MenuItemConstructorOptions[] = [{ role: 'reload' }, { role: 'togglefullscreen' }];
  if (!app.isPackaged) view.push({ type: 'separator' }, { role: 'toggleDevTools' });
  void app.whenReady().then(() => {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        { label: 'Tandem', submenu: [{ role: 'quit' }] },
        { label: 'View', submenu: view },
      ]),
    );
  });
}
