// Widget settings for the page nginx serves (deploy/docker-compose.yml): the Rasa servers
// are reached through the page's own origin, so no cross-origin request is needed.
window.BoneChatConfig = {
  serverUrl: window.location.origin,
  title: 'Bone health assistant',
  initialMessage: '/greet',
};
