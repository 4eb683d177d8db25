// Settings of the demo page's chat widget. `make run` rewrites this file in web/dist/ with
// the Rasa server's real address; on your own site you set the same object inline (README:
// "Embed the chat widget").
window.BoneChatConfig = {
  serverUrl: window.location.protocol + '//' + window.location.hostname + ':5005',
  title: 'Bone health assistant',
  initialMessage: '/greet',
};
