// The lossy network between the backend and the bot's instances lives in tools/bench: the notify-burst benchmark runs it too.
export * from '../../tools/bench/lossy-balancer.js';
