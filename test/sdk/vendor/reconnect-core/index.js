'use strict'
// Local stand-in for `reconnect-core` (the GitHub-only "merged" build that node-xmpp-core@5.0.9
// names as its dependency). Written for this repository from how node-xmpp-core's
// lib/Connection.js uses it; it is only as large as that use needs:
//
//   var inject = reconnect(createSocket)   // createSocket(opts) -> socket, `this` already bound
//   inject(inject.options = {emitter, immediate, initialDelay, maxDelay, ...})
//   emitter.connect(opts) / emitter.listen(opts)  // start (or restart) with these socket options
//   var end = emitter.end; end()                  // called unbound: stop for good, close the socket
//   emitter.reconnect                             // true while attempts may be repeated
//
// Events on the emitter: 'reconnect' (attempt, delay) before every attempt, 'connect' and
// 'connection' (socket) once the socket is connected (at once when options.immediate is set),
// 'disconnect' (error?) when the socket closes or end() closes it, 'error' for socket errors while
// running.
// When emitter.reconnect is still true after a disconnect, the attempt is repeated with an
// exponential delay from options.initialDelay up to options.maxDelay.

var EventEmitter = require('events').EventEmitter

module.exports = function reconnectCore (createSocket) {
  return function inject (options) {
    options = options || {}
    var emitter = options.emitter || new EventEmitter()
    var args = []
    var socket = null
    var detach = null
    var timer = null
    var attempts = 0
    var stopped = false

    emitter.connected = false
    emitter.reconnect = true

    function currentOptions () {
      // node-xmpp-core keeps `inject.options` and flips `immediate` on it later
      return inject.options || options
    }

    function delayFor (n) {
      var o = currentOptions()
      var initial = o.initialDelay > 0 ? o.initialDelay : 1000
      var max = o.maxDelay > 0 ? o.maxDelay : 30000
      return Math.min(max, initial * Math.pow(2, Math.max(0, n - 1)))
    }

    function clearTimer () {
      if (timer) clearTimeout(timer)
      timer = null
    }

    function attempt () {
      timer = null
      if (stopped) return
      var delay = attempts === 0 ? 0 : delayFor(attempts)
      emitter.emit('reconnect', attempts, delay)
      attempts++
      if (detach) detach()
      var s = createSocket.apply(emitter, args)
      socket = s || null
      if (!socket) return
      function onConnect () {
        if (stopped || socket !== s) return
        attempts = 0
        emitter.connected = true
        emitter.emit('connect', s)
        emitter.emit('connection', s)
      }
      function onError (err) {
        if (!stopped && socket === s) emitter.emit('error', err)
      }
      function onClose (err) {
        if (socket !== s) return
        emitter.connected = false
        emitter.emit('disconnect', err instanceof Error ? err : undefined)
        if (!stopped && emitter.reconnect) {
          clearTimer()
          timer = setTimeout(attempt, delayFor(attempts))
        }
      }
      s.on('error', onError)
      s.on('close', onClose)
      detach = function () {
        s.removeListener('connect', onConnect)
        s.removeListener('error', onError)
        s.removeListener('close', onClose)
        detach = null
      }
      if (currentOptions().immediate) process.nextTick(onConnect)
      else s.once('connect', onConnect)
    }

    emitter.connect = emitter.listen = function () {
      stopped = false
      clearTimer()
      if (arguments.length) args = Array.prototype.slice.call(arguments)
      attempts = 0
      emitter.reconnect = true
      attempt()
      return emitter
    }

    emitter.end = emitter.disconnect = function () {
      stopped = true
      emitter.reconnect = false
      clearTimer()
      var wasConnected = emitter.connected
      emitter.connected = false
      if (socket) {
        var s = socket
        socket = null // its later 'close' is this end, not a new disconnect
        if (typeof s.end === 'function') s.end()
        // a peer that never closes its side must not keep the process alive
        if (typeof s.destroy === 'function') {
          var t = setTimeout(function () { s.destroy() }, 2000)
          if (t.unref) t.unref()
        }
      }
      if (wasConnected) emitter.emit('disconnect')
      return emitter
    }

    emitter.reset = function () {
      attempts = 0
      return emitter
    }

    return emitter
  }
}
