-- Drives nvim-dap through one debug session of testdata/hello, as a user would from
-- Neovim, and writes what it saw to $GDA_NVIM_RESULT (JSON) before quitting Neovim.
-- test/nvim/run.mjs starts `nvim --headless -u init.lua` (the README's adapter snippet)
-- and then this file; the assertions are on the JS side.
local dap = require('dap')
local src = os.getenv('GDA_NVIM_SOURCE')
local line = tonumber(os.getenv('GDA_NVIM_LINE'))
local result = { events = {}, output = {}, steps = {} }

local function finish(err)
  result.error = err
  local f = assert(io.open(os.getenv('GDA_NVIM_RESULT'), 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.schedule(function() vim.cmd('qall!') end)
end

-- Events as they arrive, and a coroutine that waits for the next one of a kind.
local queue, waiting = {}, nil
local function push(kind, body)
  table.insert(result.events, kind)
  table.insert(queue, { kind = kind, body = body })
  if waiting then
    local co = waiting
    waiting = nil
    vim.schedule(function() assert(coroutine.resume(co)) end)
  end
end
for _, ev in ipairs({ 'initialized', 'stopped', 'continued', 'exited', 'terminated' }) do
  dap.listeners.after['event_' .. ev]['gda-test'] = function(_, body) push(ev, body) end
end
dap.listeners.after.event_output['gda-test'] = function(_, body)
  table.insert(result.output, { category = body.category or 'console', output = body.output })
end

local function next_event(kind)
  while true do
    for i, e in ipairs(queue) do
      if e.kind == kind then
        table.remove(queue, i)
        return e.body
      end
    end
    waiting = coroutine.running()
    coroutine.yield()
  end
end

local function request(command, args)
  local co = coroutine.running()
  dap.session():request(command, args, function(err, resp) vim.schedule(function() assert(coroutine.resume(co, err, resp)) end) end)
  local err, resp = coroutine.yield()
  if err then error(command .. ': ' .. (err.message or vim.inspect(err))) end
  return resp
end

-- The top frame's name and line, and one variable of its Locals scope.
local function where(thread_id, variable)
  local st = request('stackTrace', { threadId = thread_id, startFrame = 0, levels = 20 })
  local top = st.stackFrames[1]
  local names = {}
  for _, f in ipairs(st.stackFrames) do table.insert(names, f.name) end
  local seen = { name = top.name, line = top.line, file = top.source and top.source.path, frames = names }
  if variable then
    local scopes = request('scopes', { frameId = top.id })
    for _, s in ipairs(scopes.scopes) do
      if s.name == 'Locals' then
        local vars = request('variables', { variablesReference = s.variablesReference })
        for _, v in ipairs(vars.variables) do
          if v.name == variable then seen.variable = { name = v.name, value = v.value, type = v.type } end
        end
      end
    end
  end
  return seen
end

local function repl_lines()
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.bo[b].filetype == 'dap-repl' then return vim.api.nvim_buf_get_lines(b, 0, -1, false) end
  end
  return {}
end

local function wait_repl(pattern)
  for _ = 1, 100 do
    for _, l in ipairs(repl_lines()) do
      if l:match(pattern) then return end
    end
    local co = coroutine.running()
    vim.defer_fn(function() assert(coroutine.resume(co)) end, 50)
    coroutine.yield()
  end
end

local function sleep(ms)
  local co = coroutine.running()
  vim.defer_fn(function() assert(coroutine.resume(co)) end, ms)
  coroutine.yield()
end

-- Completion in the REPL as a user gets it: at the prompt, type `typed`, then <C-x><C-o> (the
-- REPL's omnifunc sends a completions request and fills the popup), then <C-y> accepts the
-- first item. Returns the popup's words and the prompt line after accepting.
local function repl_complete(typed)
  require('dap.repl').open()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.bo[vim.api.nvim_win_get_buf(w)].filetype == 'dap-repl' then vim.api.nvim_set_current_win(w) end
  end
  local keys = function(k) vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(k, true, false, true), 'n', false) end
  keys('A<C-u>' .. typed .. '<C-x><C-o>')
  local seen = { typed = typed, words = {} }
  for _ = 1, 100 do
    sleep(50)
    local info = vim.fn.complete_info({ 'items' })
    if #info.items > 0 then
      for _, it in ipairs(info.items) do table.insert(seen.words, it.word) end
      break
    end
  end
  keys('<C-y><Esc>')
  sleep(200)
  local lines = repl_lines()
  seen.line = lines[#lines]
  -- Back to Normal mode in the source window, where the session goes on.
  vim.cmd('stopinsert')
  vim.cmd('wincmd p')
  return seen
end

local function scenario()
  -- The user's way: open the file, put a breakpoint on the line, run the README's
  -- first configuration ("Launch package": mode debug, program ${fileDirname}).
  vim.cmd('edit ' .. vim.fn.fnameescape(src))
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  dap.toggle_breakpoint()
  dap.run(dap.configurations.go[1])
  local stopped = next_event('stopped')
  result.stop = { reason = stopped.reason, threadId = stopped.threadId }
  result.stop.at = where(stopped.threadId, 'total')
  -- Step over the print: output arrives, the stop is on the next line.
  dap.step_over()
  local stepped = next_event('stopped')
  table.insert(result.steps, { reason = stepped.reason, at = where(stepped.threadId) })
  -- Evaluate in the REPL, as typed there; the answer is read back from the REPL buffer.
  require('dap.repl').execute('total * 10 + len("ab")')
  wait_repl('^32$')
  result.repl = repl_lines()
  result.completions = { repl_complete('tot'), repl_complete('p.') }
  dap.continue()
  result.exited = next_event('exited')
  next_event('terminated')
  -- Let nvim-dap close the session and the adapter before Neovim quits.
  local co = coroutine.running()
  vim.defer_fn(function() assert(coroutine.resume(co)) end, 500)
  coroutine.yield()
  result.session_after = dap.session() ~= nil
  finish(nil)
end

vim.defer_fn(function() finish('timed out: events ' .. table.concat(result.events, ',')) end, tonumber(os.getenv('GDA_NVIM_TIMEOUT') or '90000'))
local co = coroutine.create(function()
  local ok, err = pcall(scenario)
  if not ok then finish(tostring(err)) end
end)
assert(coroutine.resume(co))
