"""Web views: thin — check permission, call the action, show ShenfaError.message, render."""
