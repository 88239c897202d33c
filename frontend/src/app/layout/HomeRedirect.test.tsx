import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp } from '../../test/render';
import { makeMe } from '../../test/fixtures';

describe('the home page', () => {
  it('opens the first section the user may see', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['audit.read', 'selfservice']));
      return undefined;
    });
    renderApp('/');
    await waitFor(() => expect(currentUrl().pathname).toBe('/audit'));
  });

  it('sends a user with self-service only to «Сервис самообслуживания», not to an empty console', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (path === '/me/tokens') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      if (path === '/permissions') return jsonResponse([]);
      return undefined;
    });
    renderApp('/');
    await waitFor(() => expect(currentUrl().pathname).toBe('/self-service'));
  });

  it('sends a client with only the cabinet to the client cabinet', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['cabinet']));
      if (path === '/cabinet/systems') return jsonResponse({ items: [], total: 0 });
      return undefined;
    });
    renderApp('/');
    expect(await screen.findByText('You are not in the owner group of any integrated system.')).toBeInTheDocument();
    expect(currentUrl().pathname).toBe('/cabinet');
  });

  it('says so when there is nothing at all', async () => {
    mockApi(({ path }) => (path === '/auth/me' ? jsonResponse(makeMe([])) : undefined));
    renderApp('/');
    expect(await screen.findByText('There are no sections available to you.')).toBeInTheDocument();
    expect(currentUrl().pathname).toBe('/');
  });
});
